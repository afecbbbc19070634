"""Korean by default, English second. Keys are English identifiers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")

MESSAGES: dict[str, dict[str, str]] = {
    "ko": {
        "PAYMENT_PENDING": "결제대기", "PREPARING": "상품준비", "READY_TO_SHIP": "배송대기",
        "SHIPPING": "배송중", "DELIVERED": "배송완료", "CONFIRMED": "구매확정", "CANCELLED": "취소",
        "ALL": "전체", "CARD": "카드", "BANK_TRANSFER": "무통장 입금",
        "PENDING": "미결제", "PAID": "결제완료",
        "shop": "스토어", "admin": "판매자 관리", "orders": "주문관리", "my_page": "마이페이지",
        "login": "로그인", "logout": "로그아웃", "seller_login": "판매자 로그인",
        "user_id": "아이디", "password": "비밀번호", "products": "상품", "buy": "구매하기",
        "option": "옵션", "quantity": "수량", "sold_out": "품절", "left": "남은 재고",
        "checkout": "주문서", "ship_to": "배송지", "name": "이름", "phone": "연락처",
        "zipcode": "우편번호", "address1": "주소", "address2": "상세주소", "memo": "배송 메모",
        "payment_method": "결제수단", "place_order": "결제하기", "guest_order": "비회원 주문",
        "guest_password": "주문 조회 비밀번호", "order_no": "주문번호", "ordered_at": "주문일시",
        "buyer": "구매자", "recipient": "수령인", "items": "상품", "amount": "결제금액",
        "status": "상태", "invoice": "송장", "carrier": "택배사", "invoice_no": "송장번호",
        "timeline": "타임라인", "sections": "주문 섹션", "actions": "처리",
        "to_ready": "배송대기 처리", "to_shipping": "배송중 처리", "to_delivered": "배송완료 처리",
        "deposit_confirmed": "입금확인", "cancel_order": "주문 취소", "add_note": "메모 추가",
        "confirm_purchase": "구매확정",
        "confirm_warning": "구매확정 후에는 반품/교환 접수가 불가합니다. 구매를 확정하시겠습니까?",
        "order_complete": "주문이 접수되었습니다", "deposit_info": "입금 계좌",
        "deposit_deadline": "입금 기한", "items_total": "상품금액", "shipping_fee": "배송비",
        "paid_amount": "결제금액", "payment": "결제", "auto_confirm_at": "자동 구매확정 예정",
        "no_orders": "주문이 없습니다.", "guest_lookup": "비회원 주문조회", "lookup": "조회",
        "points": "적립금", "cumulative_purchase": "누적 구매금액", "next_page": "다음",
        "actor_buyer": "구매자", "actor_seller": "판매자", "actor_system": "시스템",
        "actor_partner": "파트너", "won": "원", "language": "English",
        "act_placed": "주문 접수", "act_stock_reserved": "재고 확보", "act_paid": "결제 완료",
        "act_section_status": "상태 변경", "act_note": "메모", "act_points_earned": "적립금 지급",
        "act_payment_refused": "결제 거절",
        "payment_waiting": "결제 확인 중입니다. 잠시 후 새로고침 됩니다.",
    },
    "en": {
        "PAYMENT_PENDING": "Payment pending", "PREPARING": "Preparing",
        "READY_TO_SHIP": "Ready to ship", "SHIPPING": "Shipping", "DELIVERED": "Delivered",
        "CONFIRMED": "Confirmed", "CANCELLED": "Cancelled", "ALL": "All", "CARD": "Card",
        "BANK_TRANSFER": "Bank transfer", "PENDING": "Unpaid", "PAID": "Paid",
        "shop": "Store", "admin": "Seller admin", "orders": "Orders", "my_page": "My page",
        "login": "Log in", "logout": "Log out", "seller_login": "Seller log in",
        "user_id": "ID", "password": "Password", "products": "Products", "buy": "Buy now",
        "option": "Option", "quantity": "Quantity", "sold_out": "Sold out", "left": "Left",
        "checkout": "Checkout", "ship_to": "Ship to", "name": "Name", "phone": "Phone",
        "zipcode": "Zip code", "address1": "Address", "address2": "Address line 2",
        "memo": "Delivery memo", "payment_method": "Payment method", "place_order": "Pay",
        "guest_order": "Guest order", "guest_password": "Order lookup password",
        "order_no": "Order no.", "ordered_at": "Ordered at", "buyer": "Buyer",
        "recipient": "Recipient", "items": "Items", "amount": "Amount", "status": "Status",
        "invoice": "Invoice", "carrier": "Carrier", "invoice_no": "Invoice no.",
        "timeline": "Timeline", "sections": "Sections", "actions": "Actions",
        "to_ready": "Mark ready to ship", "to_shipping": "Ship", "to_delivered": "Mark delivered",
        "deposit_confirmed": "Deposit confirmed", "cancel_order": "Cancel order",
        "add_note": "Add note", "confirm_purchase": "Confirm purchase",
        "confirm_warning": "After confirming you can no longer request a return or exchange. Confirm?",
        "order_complete": "Your order was placed", "deposit_info": "Deposit account",
        "deposit_deadline": "Deposit deadline", "items_total": "Items", "shipping_fee": "Shipping",
        "paid_amount": "Total", "payment": "Payment", "auto_confirm_at": "Auto-confirm at",
        "no_orders": "No orders.", "guest_lookup": "Guest order lookup", "lookup": "Look up",
        "points": "Points", "cumulative_purchase": "Cumulative purchases", "next_page": "Next",
        "actor_buyer": "Buyer", "actor_seller": "Seller", "actor_system": "System",
        "actor_partner": "Partner", "won": "KRW", "language": "한국어",
        "act_placed": "Placed", "act_stock_reserved": "Stock reserved", "act_paid": "Paid",
        "act_section_status": "Status", "act_note": "Note", "act_points_earned": "Points granted",
        "act_payment_refused": "Payment refused",
        "payment_waiting": "Confirming the payment; this page refreshes shortly.",
    },
}


def translator(lang: str):  # type: ignore[no-untyped-def]
    table = MESSAGES.get(lang, MESSAGES["ko"])
    return lambda key: table.get(key, key)


def kst(value: str | datetime | None) -> str:
    if not value:
        return ""
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    return dt.astimezone(KST).strftime("%Y-%m-%d %H:%M")


def krw(value: int) -> str:
    return f"{value:,}"
