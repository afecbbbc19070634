"""The server-rendered pages (storefront, my page, seller admin): one router per resource."""
