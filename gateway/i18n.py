"""Korean by default, English second. Keys are English identifiers.

Templates get `t`: `t(key)` translates a key (unknown keys come back unchanged, so a service's
error message passes through `t` too and is translated when it is a known one); `t.money(n)`,
`t.date(iso)`, `t.deadline(iso)` and `t.fmt(key, n=...)` format in the page's language. Dates are
always shown in Korea time (Asia/Seoul), whatever the server's time zone.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")

MESSAGES: dict[str, dict[str, str]] = {
    "ko": {
        "PAYMENT_PENDING": "결제대기", "PREPARING": "상품준비", "READY_TO_SHIP": "배송대기",
        "SHIPPING": "배송중", "DELIVERED": "배송완료", "CONFIRMED": "구매확정", "CANCELLED": "취소",
        "ALL": "전체", "CARD": "신용카드", "BANK_TRANSFER": "무통장 입금",
        "PENDING": "미결제", "PAID": "결제완료", "awaiting_deposit": "입금대기",
        "STOREFRONT": "스토어", "SELLER": "판매자 생성", "NAVERPAY": "네이버페이",
        "TALKCHECKOUT": "톡체크아웃",
        "shop": "스토어", "admin": "판매자센터", "orders": "주문관리", "my_page": "마이페이지",
        "login": "로그인", "logout": "로그아웃", "seller_login": "판매자 로그인",
        "user_id": "아이디", "password": "비밀번호", "products": "상품", "buy": "구매하기",
        "option": "옵션", "options_n": "옵션 {n}개", "quantity": "수량", "sold_out": "품절",
        "left": "남은 재고 {n}개", "price": "판매가", "select_option": "옵션을 선택하세요",
        "checkout": "주문서", "order_items": "주문 상품", "orderer": "주문자 정보",
        "ship_to": "배송지", "name": "이름", "phone": "연락처",
        "zipcode": "우편번호", "address1": "주소", "address2": "상세주소", "memo": "배송 메모",
        "memo_placeholder": "예) 부재 시 문 앞에 놓아주세요",
        "payment_method": "결제수단", "place_order": "결제하기", "pay_amount": "{n} 결제하기",
        "guest_order": "비회원 주문",
        "guest_hint": "주문번호와 연락처, 이 비밀번호로 비회원 주문을 조회할 수 있습니다.",
        "guest_password": "주문 조회 비밀번호", "order_no": "주문번호", "ordered_at": "주문일시",
        "buyer": "구매자", "recipient": "수령인", "items": "상품", "amount": "결제금액",
        "line_amount": "상품금액", "unit_price": "단가",
        "status": "상태", "invoice": "송장", "carrier": "택배사", "invoice_no": "송장번호",
        "invoice_placeholder": "송장번호 입력", "shipment": "배송 정보", "no_invoice": "송장 미등록",
        "timeline": "처리 이력", "sections": "주문 상품 · 배송", "section": "배송 묶음",
        "actions": "처리",
        "to_ready": "배송대기 처리", "to_shipping": "배송중 처리", "to_delivered": "배송완료 처리",
        "deposit_confirmed": "입금확인", "cancel_order": "주문 취소", "add_note": "메모 추가",
        "note_placeholder": "고객 요청, 처리 메모 등 (구매자에게는 보이지 않습니다)",
        "confirm_purchase": "구매확정",
        "confirm_warning": "구매확정 후에는 반품/교환 접수가 불가합니다. 구매를 확정하시겠습니까?",
        "confirm_warning_short": "구매확정 후에는 반품/교환 접수가 불가합니다. 상품을 받고 이상이 없을 때 눌러 주세요.",
        "cancel_confirm": "주문을 취소하시겠습니까?",
        "order_complete": "주문이 접수되었습니다", "order_paid": "주문과 결제가 완료되었습니다",
        "deposit_info": "입금 계좌", "deposit_amount": "입금하실 금액",
        "deposit_hint": "입금 기한까지 입금되지 않으면 주문이 자동으로 취소됩니다.",
        "deposit_deadline": "입금 기한", "items_total": "상품금액", "shipping_fee": "배송비",
        "free": "무료",
        "paid_amount": "결제금액", "total": "최종 결제금액", "payment": "결제 정보",
        "order_info": "주문 정보", "auto_confirm_at": "자동 구매확정 예정",
        "no_orders": "주문이 없습니다.", "guest_lookup": "비회원 주문조회", "lookup": "조회",
        "points": "적립금", "cumulative_purchase": "누적 구매금액", "next_page": "다음 페이지",
        "actor_buyer": "구매자", "actor_seller": "판매자", "actor_system": "시스템",
        "actor_partner": "파트너", "won": "원", "language": "English",
        "act_placed": "주문 접수", "act_stock_reserved": "재고 확보", "act_paid": "결제 완료",
        "act_section_status": "상태 변경", "act_note": "메모", "act_points_earned": "적립금 지급",
        "act_payment_refused": "결제 거절",
        "payment_waiting": "결제를 확인하고 있습니다. 잠시 후 화면이 자동으로 새로고침됩니다.",
        "view_order": "주문 상세 보기", "continue_shopping": "쇼핑 계속하기",
        "orders_of_tab": "{n}건", "channel": "주문경로", "version": "버전",
        "more_items": "외 {n}건", "guest": "비회원", "my_orders": "주문 내역",
        "back_to_list": "목록으로", "order_actions": "주문 처리",
        "nothing_to_do": "처리할 작업이 없습니다.", "kst": "KST",
        "no_products": "등록된 상품이 없습니다.",
        "UNSELECTED": "결제수단 미선택", "discount": "할인",
        "address_placeholder": "도로명 주소 (예: 서울특별시 강남구 테헤란로 123)",
        "act_section_split": "묶음 분리", "act_sections_merged": "묶음 합치기",
    },
    "en": {
        "PAYMENT_PENDING": "Payment pending", "PREPARING": "Preparing",
        "READY_TO_SHIP": "Ready to ship", "SHIPPING": "Shipping", "DELIVERED": "Delivered",
        "CONFIRMED": "Confirmed", "CANCELLED": "Cancelled", "ALL": "All", "CARD": "Credit card",
        "BANK_TRANSFER": "Bank transfer", "PENDING": "Unpaid", "PAID": "Paid",
        "awaiting_deposit": "Awaiting deposit",
        "STOREFRONT": "Store", "SELLER": "Seller-created", "NAVERPAY": "Naver Pay",
        "TALKCHECKOUT": "Talk Checkout",
        "shop": "Store", "admin": "Seller Center", "orders": "Orders", "my_page": "My page",
        "login": "Log in", "logout": "Log out", "seller_login": "Seller log in",
        "user_id": "ID", "password": "Password", "products": "Products", "buy": "Buy now",
        "option": "Option", "options_n": "{n} options", "quantity": "Quantity",
        "sold_out": "Sold out", "left": "{n} left", "price": "Price",
        "select_option": "Choose an option",
        "checkout": "Checkout", "order_items": "Items", "orderer": "Your details",
        "ship_to": "Ship to", "name": "Name", "phone": "Phone",
        "zipcode": "Zip code", "address1": "Address", "address2": "Address line 2",
        "memo": "Delivery note", "memo_placeholder": "e.g. leave at the door",
        "payment_method": "Payment method", "place_order": "Pay", "pay_amount": "Pay {n}",
        "guest_order": "Guest order",
        "guest_hint": "Look up a guest order with its number, your phone and this password.",
        "guest_password": "Order lookup password",
        "order_no": "Order no.", "ordered_at": "Ordered at", "buyer": "Buyer",
        "recipient": "Recipient", "items": "Items", "amount": "Amount", "line_amount": "Amount",
        "unit_price": "Unit price", "status": "Status",
        "invoice": "Invoice", "carrier": "Carrier", "invoice_no": "Invoice no.",
        "invoice_placeholder": "Invoice number", "shipment": "Shipment",
        "no_invoice": "No invoice yet",
        "timeline": "History", "sections": "Items and shipping", "section": "Parcel",
        "actions": "Actions",
        "to_ready": "Mark ready to ship", "to_shipping": "Mark shipped",
        "to_delivered": "Mark delivered",
        "deposit_confirmed": "Confirm deposit", "cancel_order": "Cancel order",
        "add_note": "Add note", "note_placeholder": "Customer requests, handling notes "
                                                    "(not shown to the buyer)",
        "confirm_purchase": "Confirm purchase",
        "confirm_warning": "After confirming you can no longer request a return or exchange. Confirm?",
        "confirm_warning_short": "After confirming you can no longer request a return or "
                                 "exchange. Confirm once you have received the items.",
        "cancel_confirm": "Cancel this order?",
        "order_complete": "Your order was placed", "order_paid": "Order placed and paid",
        "deposit_info": "Deposit account", "deposit_amount": "Amount to deposit",
        "deposit_hint": "The order is cancelled automatically if the deposit does not arrive "
                        "by the deadline.",
        "deposit_deadline": "Deposit deadline", "items_total": "Items", "shipping_fee": "Shipping",
        "free": "Free",
        "paid_amount": "Total", "total": "Total", "payment": "Payment", "order_info": "Order",
        "auto_confirm_at": "Auto-confirms at",
        "no_orders": "No orders.", "guest_lookup": "Guest order lookup", "lookup": "Look up",
        "points": "Points", "cumulative_purchase": "Cumulative purchases", "next_page": "Next page",
        "actor_buyer": "Buyer", "actor_seller": "Seller", "actor_system": "System",
        "actor_partner": "Partner", "won": "KRW", "language": "한국어",
        "act_placed": "Placed", "act_stock_reserved": "Stock reserved", "act_paid": "Paid",
        "act_section_status": "Status", "act_note": "Note", "act_points_earned": "Points granted",
        "act_payment_refused": "Payment refused",
        "payment_waiting": "Confirming the payment; this page refreshes shortly.",
        "view_order": "View order", "continue_shopping": "Continue shopping",
        "orders_of_tab": "{n}", "channel": "Channel", "version": "version",
        "more_items": "+{n} more", "guest": "guest", "my_orders": "Orders",
        "back_to_list": "Back to list", "order_actions": "Order actions",
        "nothing_to_do": "Nothing to do.", "kst": "KST",
        "no_products": "No products yet.",
        "UNSELECTED": "Not chosen yet", "discount": "Discount",
        "address_placeholder": "Street address",
        "act_section_split": "Parcel split", "act_sections_merged": "Parcels merged",
    },
}

# Service error messages (English, for developers) shown to Korean users in flashes.
ERRORS_KO: list[tuple[re.Pattern[str], str]] = [(re.compile(p), m) for p, m in [
    (r"^shipping needs a carrier and an invoice number$",
     "배송중으로 처리하려면 택배사를 선택하고 송장번호를 입력하세요."),
    (r"^give both the carrier and the invoice number$",
     "택배사와 송장번호를 함께 입력하세요."),
    (r"^choose a payment method$", "결제수단을 선택하세요."),
    (r"only PREPARING sections can be split$",
     "상품준비 상태의 묶음만 나눌 수 있습니다."),
    (r"^choose fewer units than the whole section",
     "묶음 전체가 아니라 일부 수량만 선택하세요."),
    (r"^only sections in the same status, PREPARING or READY_TO_SHIP, can be merged",
     "같은 상태(상품준비 또는 배송대기)의 묶음만 합칠 수 있습니다."),
    (r"^choose at least two different sections$", "합칠 묶음을 두 개 이상 선택하세요."),
    (r"^order (\S+) changed since you loaded it$",
     "주문 {0}이(가) 그사이 변경되었습니다. 최신 화면에서 다시 처리하세요."),
    (r"^order (\S+) changed meanwhile; try again$",
     "주문 {0}이(가) 동시에 변경되었습니다. 다시 시도하세요."),
    (r"^section (\S+) is (\w+): cannot move to (\w+)$",
     "{0} 묶음은 {1} 상태라서 {2}(으)로 변경할 수 없습니다."),
    (r"^order (\S+) has no DELIVERED section to confirm",
     "주문 {0}에는 구매확정할 배송완료 상품이 없습니다."),
    (r"^order (\S+) is paid \((.*)\): cancel it through a claim$",
     "결제가 완료된 주문 {0}은(는) 취소 요청으로 취소해야 합니다."),
    (r"^order (\S+) is CANCELLED \((.*)\): cannot ",
     "취소된 주문 {0}({1})은(는) 더 이상 처리할 수 없습니다."),
    (r"^no guest order matches this number, phone and password$",
     "주문번호, 연락처, 조회 비밀번호가 일치하는 비회원 주문이 없습니다."),
    (r"^log in, or give a guest name, phone and lookup password$",
     "로그인하거나 비회원 주문자 이름, 연락처, 조회 비밀번호를 입력하세요."),
    (r"^(\w+) service unavailable$",
     "일시적으로 처리할 수 없습니다. 잠시 후 다시 시도하세요."),
]]


class Translator:
    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in MESSAGES else "ko"
        self.table = MESSAGES[self.lang]

    def __call__(self, key: str | None) -> str:
        if not key:
            return ""
        found = self.table.get(key)
        if found is not None:
            return found
        if self.lang == "ko" and " " in key:
            for pattern, text in ERRORS_KO:
                m = pattern.search(key)
                if m:
                    return text.format(*(self.table.get(g, g) for g in m.groups()))
        return key

    def fmt(self, key: str, **values: object) -> str:
        return self(key).format(**values)

    def money(self, value: int | None) -> str:
        n = krw(value or 0)
        return f"{n}원" if self.lang == "ko" else f"₩{n}"

    def date(self, value: str | datetime | None) -> str:
        return kst(value)

    def deadline(self, value: str | datetime | None) -> str:
        """A date with its weekday and time zone, for deadlines buyers must meet."""
        if not value:
            return ""
        dt = _kst_dt(value)
        if self.lang == "ko":
            day = "월화수목금토일"[dt.weekday()]
            return f"{dt:%Y-%m-%d} ({day}) {dt:%H:%M} KST"
        return f"{dt:%a %Y-%m-%d %H:%M} KST"


def translator(lang: str) -> Translator:
    return Translator(lang)


def _kst_dt(value: str | datetime) -> datetime:
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    if dt.tzinfo is None:  # stored as UTC without an offset
        dt = dt.replace(tzinfo=ZoneInfo("UTC"))
    return dt.astimezone(KST)


def kst(value: str | datetime | None) -> str:
    if not value:
        return ""
    return _kst_dt(value).strftime("%Y-%m-%d %H:%M")


def krw(value: int) -> str:
    return f"{value:,}"
