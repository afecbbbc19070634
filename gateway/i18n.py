"""Korean by default, English second. Keys are English identifiers.

Templates get `t`: `t(key)` translates a key (unknown keys come back unchanged, so a service's
error message passes through `t` too and is translated when it is a known one); `t.money(n)`,
`t.date(iso)`, `t.deadline(iso)` and `t.fmt(key, n=...)` format in the page's language. Dates are
always shown in Korea time (Asia/Seoul), whatever the server's time zone.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
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
        "points": "적립금", "cumulative_purchase": "누적 구매금액", "next_page": "다음 페이지", "older_jobs": "이전 작업", "newest_jobs": "최근 작업",
        "actor_buyer": "구매자", "actor_seller": "판매자", "actor_system": "시스템",
        "actor_partner": "파트너", "won": "원", "language": "English",
        "act_placed": "주문 접수", "act_stock_reserved": "재고 확보", "act_paid": "결제 완료",
        "act_section_status": "상태 변경", "act_note": "메모", "act_points_earned": "적립금 지급",
        "act_payment_refused": "결제 거절", "act_payment_refunded": "입금 환불 완료",
        "rp_title": "환불이 필요한 입금",
        "rp_hint": "이 주문이 받을 수 없는 입금입니다 (입금 기한이 지나 취소된 뒤의 입금 등). 입금자 계좌로 환불한 뒤 환불 계좌를 기록해 주세요.",
        "rp_received_at": "입금일시", "rp_reason": "사유", "rp_to_refund": "환불 필요",
        "rp_refunded": "환불 완료", "rp_bank": "은행", "rp_account": "계좌번호",
        "rp_holder": "예금주", "rp_note": "메모", "rp_mark_refunded": "직접 환불 완료로 기록",
        "rp_confirm": "입금자 계좌로 환불을 마쳤습니까? 환불 계좌가 기록됩니다.",
        "msg_refund_recorded": "환불 완료를 기록했습니다.",
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
        "points": "Points", "cumulative_purchase": "Cumulative purchases", "next_page": "Next page", "older_jobs": "Older jobs", "newest_jobs": "Newest jobs",
        "actor_buyer": "Buyer", "actor_seller": "Seller", "actor_system": "System",
        "actor_partner": "Partner", "won": "KRW", "language": "한국어",
        "act_placed": "Placed", "act_stock_reserved": "Stock reserved", "act_paid": "Paid",
        "act_section_status": "Status", "act_note": "Note", "act_points_earned": "Points granted",
        "act_payment_refused": "Payment refused", "act_payment_refunded": "Payment refunded",
        "rp_title": "Payments to refund",
        "rp_hint": "Money this order cannot take (e.g. a deposit after the deadline cancelled it). Refund the payer, then record the account.",
        "rp_received_at": "Received", "rp_reason": "Reason", "rp_to_refund": "To refund",
        "rp_refunded": "Refunded", "rp_bank": "Bank", "rp_account": "Account",
        "rp_holder": "Holder", "rp_note": "Note", "rp_mark_refunded": "Mark refunded by hand",
        "rp_confirm": "Did you refund the payer? The account will be recorded.",
        "msg_refund_recorded": "Refund recorded.",
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

# Seller admin (order menu, bulk jobs, spreadsheets, seller-created orders), payment requests
# and flash messages. Merged into MESSAGES below.
_MORE: dict[str, dict[str, str]] = {
    "ko": {
        "RETURNED": "반품완료", "EXCHANGED": "교환완료", "REFUNDED": "환불완료",
        # order menu
        "order_tabs": "주문 탭", "manage_tabs": "탭 관리", "add_tab": "탭 추가", "edit_tab": "탭 편집",
        "tab_name": "탭 이름", "tab_name_placeholder": "예) 무통장 입금 대기",
        "tab_filter": "조건", "order_count": "주문 수", "order": "순서", "rename": "이름 변경",
        "edit_filter": "조건 편집", "delete": "삭제", "save": "저장", "cancel": "취소",
        "move_up": "위로", "move_down": "아래로", "reset_tabs": "기본 탭으로 되돌리기",
        "reset_tabs_confirm": "모든 탭을 기본 탭으로 되돌릴까요? 직접 만든 탭은 삭제됩니다.",
        "delete_tab_confirm": "'{name}' 탭을 삭제할까요? 주문은 삭제되지 않습니다.",
        "tabs_hint": "주문관리 화면의 탭을 직접 구성합니다. 탭마다 상태, 클레임, 결제수단, 주문경로, "
                     "주문일, 검색어 조건을 저장할 수 있고 숫자는 실시간 주문 수입니다.",
        "tab_form_hint": "같은 항목 안에서 여러 개를 고르면 그중 하나에 해당하는 주문이, 여러 항목을 "
                         "함께 정하면 모든 조건에 맞는 주문이 보입니다. 아무것도 고르지 않으면 전체 주문입니다.",
        "claims": "클레임", "claims_hint": "상태와 클레임을 함께 고르면 둘 중 하나에 해당하는 주문이 보입니다.",
        "claim_CANCEL": "취소", "claim_RETURN": "반품", "claim_EXCHANGE": "교환",
        "order_date": "주문일", "date_from": "시작일", "date_to": "종료일",
        "search_text": "검색어", "search": "검색", "every_order": "전체 주문",
        "search_placeholder": "주문번호, 주문자·수령인 이름, 연락처, 송장번호",
        "clear_search": "검색 해제", "sort": "정렬", "page_size": "페이지당 주문 수",
        "per_page": "{n}개씩", "columns": "표시 항목 설정", "download": "다운로드",
        "columns_hint": "주문 목록과 엑셀 다운로드에 나올 항목을 고르고 순서를 정하세요. "
                        "설정은 계정마다 저장됩니다.",
        "default_columns": "기본 항목으로", "n_orders": "{n}건", "range": "{a}–{b} / 총 {n}건",
        "first_page": "처음", "prev_page": "이전", "new_order": "주문 생성",
        "sort_placed_at_desc": "주문일시 최신순", "sort_placed_at_asc": "주문일시 오래된순",
        "sort_amount_desc": "결제금액 높은순", "sort_amount_asc": "결제금액 낮은순",
        "sort_order_no_desc": "주문번호 내림차순", "sort_order_no_asc": "주문번호 오름차순",
        "col_order_no": "주문번호", "col_placed_at": "주문일시", "col_buyer": "구매자",
        "col_recipient": "수령인", "col_phone": "연락처", "col_items": "상품", "col_quantity": "수량",
        "col_amount": "결제금액", "col_payment_method": "결제수단", "col_payment_status": "결제상태",
        "col_status": "주문상태", "col_invoice": "택배사/송장", "col_channel": "판매채널",
        "col_memo": "배송메모", "col_address": "배송지",
        # selection and bulk
        "selected_suffix": "건 선택", "select_page": "이 페이지 전체 선택",
        "visible_selected": "이 페이지의 {n}건이 선택되었습니다.",
        "select_all_matching": "이 탭의 주문 {n}건 모두 선택",
        "all_matching_selected": "이 탭의 주문 {n}건이 모두 선택되었습니다.",
        "clear_selection": "선택 해제",
        "bulk_CONFIRM_DEPOSIT": "입금확인", "bulk_READY_TO_SHIP": "배송대기 처리",
        "bulk_SHIP": "배송중 처리", "bulk_DELIVER": "배송완료 처리", "bulk_CANCEL": "취소",
        "bulk_MERGE_AND_SHIP": "합포장 후 배송",
        "bulk_confirm": "주문 {n}건을 '{action}' 합니다. 진행할까요?",
        "ship_panel_hint": "선택한 주문의 송장번호를 목록에 입력하세요. 비워 두면 이미 등록된 송장으로 "
                           "처리합니다.",
        "use_registered_invoice": "등록된 송장 사용", "run": "실행", "close": "닫기",
        "bulk_jobs": "일괄처리 내역", "bulk_job": "일괄처리", "bulk_action": "작업",
        "job_QUEUED": "대기 중", "job_RUNNING": "처리 중", "job_DONE": "완료",
        "job_source": "대상", "created_at": "요청 일시", "finished_at": "완료",
        "processed": "처리", "succeeded": "성공", "failed": "실패", "progress": "진행률",
        "total_n": "전체", "by": "요청자", "result": "결과", "reason": "사유",
        "job_live_hint": "처리 중입니다. 이 화면은 자동으로 갱신됩니다. 창을 닫아도 작업은 계속됩니다.",
        "job_resolving_hint": "탭의 대상 주문은 작업이 시작될 때, 주문 목록이 앞선 처리를 모두 반영한 뒤에 정해집니다.",
        "job_all_done": "실패한 항목 없이 모두 처리되었습니다.", "no_items": "항목이 없습니다.",
        "no_jobs": "일괄처리 내역이 없습니다.", "all": "전체", "finished_only": "완료된 작업만",
        "failed_only": "실패만", "sheet_row": "행",
        "source_all": "탭 전체", "source_selected": "선택 {n}건", "source_upload": "송장 업로드",
        # order detail
        "n_sections": "배송 묶음 {n}개", "n_units": "{n}개",
        "ship_now": "바로 배송중 처리", "split_section": "묶음 나누기",
        "split_hint": "새 묶음으로 옮길 수량을 입력하세요 (예: 5개 중 2개). 나머지는 이 묶음에 남고, "
                      "두 묶음은 따로 배송할 수 있습니다.",
        "in_section": "현재 수량", "move_qty": "옮길 수량", "split_run": "새 묶음으로 나누기",
        "merge_hint": "같은 상태(상품준비 또는 배송대기)의 묶음을 골라 하나로 합칠 수 있습니다.",
        "merge_selected": "선택한 묶음 합치기", "merge_pick": "합칠 묶음 선택",
        "request_sent": "구매자에게 결제를 요청했습니다. 기한 안에 결제하지 않으면 자동 취소됩니다.",
        # seller-created order
        "new_order_sub": "회원에게 결제를 요청하는 주문을 만듭니다.",
        "buyer_member": "구매자 (회원)", "member": "회원", "choose_member": "회원을 선택하세요",
        "add_item": "상품 추가", "product_sku": "상품 / 옵션", "choose_sku": "상품과 옵션을 선택하세요",
        "stock_n": "재고 {n}", "remove": "삭제", "order_memo": "메모",
        "order_memo_placeholder": "예) 전화 주문, 배송 요청사항",
        "payment_request": "결제 요청", "request_amount": "결제 요청 금액",
        "create_and_request": "주문 생성 및 결제 요청",
        "new_order_hint": "재고가 바로 확보되고, 구매자의 마이페이지에 결제 요청이 표시됩니다. "
                          "입금 기한까지 결제하지 않으면 주문이 자동 취소됩니다.",
        # buyer: payment requests, notifications
        "payment_requests": "결제 요청", "pay_by": "결제 기한",
        "payment_requests_hint": "판매자가 만든 주문입니다. 기한 안에 원하는 결제수단으로 결제해 주세요.",
        "pay_card": "카드 결제", "pay_bank": "무통장 입금", "notifications": "알림",
        "notice_request": "판매자가 결제를 요청했습니다",
        "notice_expired": "입금 기한이 지나 주문이 자동 취소되었습니다",
        "notice_expired_hint": "취소된 주문은 다시 결제할 수 없습니다. 판매자에게 새 주문을 요청해 주세요.",
        "no_notifications": "새 알림이 없습니다.",
        "payment_not_confirmed": "결제가 아직 확인되지 않았습니다. 결제를 마치셨다면 잠시 후 다시 "
                                 "확인해 주세요.",
        "check_again": "다시 확인",
        # spreadsheets
        "invoice_upload": "송장 업로드", "upload_file": "파일 업로드", "upload_run": "업로드하고 처리",
        "upload_intro": "주문번호(또는 섹션번호), 택배사, 송장번호, 처리(배송대기 또는 배송중)를 적은 "
                        "엑셀/CSV 파일을 올리면 행마다 처리하고 결과를 보여 줍니다.",
        "choose_file": "파일 선택 (XLSX, CSV)", "max_20mb": "최대 20MB",
        "no_file_chosen": "선택한 파일 없음",
        "sheet_format": "시트 형식", "column": "열", "content": "내용",
        "fmt_order_no": "주문번호 (섹션번호가 있으면 생략 가능). 주문의 상품준비·배송대기 묶음 모두에 적용",
        "fmt_section": "섹션번호 (선택). 한 묶음만 처리할 때",
        "fmt_invoice": "운송장 번호 (숫자, 하이픈)",
        "fmt_action": "배송대기 (송장 등록) 또는 배송중 (발송 처리)",
        "download_template": "업로드 양식 받기", "download_template_tab": "이 탭의 발송 대상으로 양식 받기",
        "recent_uploads": "최근 업로드", "uploaded_at": "업로드 일시", "file": "파일",
        "rows": "행", "invalid_rows": "입력 오류", "no_uploads": "업로드 내역이 없습니다.",
        "invalid_rows_hint": "아무것도 변경되지 않았습니다",
        "processing_failed": "처리 실패", "upload_report": "업로드 결과", "upload_action": "처리",
        "upload_to_READY_TO_SHIP": "배송대기", "upload_to_SHIP": "배송중", "view_job": "작업 보기",
        "invalid": "입력 오류", "no_rows": "처리할 행이 없습니다.",
        "invoice_template_name": "송장업로드양식",
        "upload_guide_lines": "송장 업로드 양식 안내\n"
                              "1. '송장' 시트의 2행부터 한 줄에 한 건씩 적습니다.\n"
                              "2. 주문번호 또는 섹션번호 중 하나는 반드시 적습니다. 주문번호만 적으면 그 "
                              "주문의 상품준비·배송대기 묶음 전체에 적용됩니다.\n"
                              "3. 택배사는 목록에서 고르고, 송장번호는 숫자(하이픈 가능)로 적습니다.\n"
                              "4. 처리: 배송대기 = 송장만 등록, 배송중 = 발송 처리(상품준비에서도 바로 가능).\n"
                              "5. 잘못된 행은 아무것도 바꾸지 않고 결과 화면에 행 번호와 함께 표시됩니다.",
        "row_no_order": "주문번호나 섹션번호가 없습니다.",
        "row_section_mismatch": "섹션번호가 이 주문의 묶음이 아닙니다.",
        "row_bad_order": "주문번호나 섹션번호가 올바르지 않습니다: {value}",
        "row_no_carrier": "택배사가 없습니다.",
        "row_unknown_carrier": "알 수 없는 택배사입니다: {value}",
        "row_no_invoice": "송장번호가 비어 있습니다.",
        "row_bad_invoice": "송장번호 형식이 올바르지 않습니다: {value}",
        "row_unknown_action": "처리는 '배송대기' 또는 '배송중'이어야 합니다: {value}",
        "row_duplicate": "같은 주문(묶음)이 {value}행에 이미 있습니다.",
        # flash messages of the web pages
        "msg_bad_credentials": "아이디 또는 비밀번호가 올바르지 않습니다.",
        "msg_too_many_attempts": "로그인에 여러 번 실패했습니다. {minutes}분 뒤에 다시 시도하세요.",
        "err_too_many_attempts": "로그인 시도가 너무 많습니다",
        "err_csrf_failed": "페이지가 만료되었습니다. 새로고침한 뒤 다시 시도하세요",
        "err_cross_site_request": "다른 사이트에서 보낸 요청은 받을 수 없습니다",
        "msg_seller_cannot_order": "판매자 계정으로는 주문할 수 없습니다.",
        "msg_choose_payment": "결제수단을 선택하세요.",
        "msg_tab_name": "탭 이름은 1~20자로 입력하세요.",
        "msg_tab_saved": "'{name}' 탭을 저장했습니다.", "msg_tab_deleted": "'{name}' 탭을 삭제했습니다.",
        "msg_tabs_reset": "기본 탭으로 되돌렸습니다.", "msg_last_tab": "탭은 하나 이상 있어야 합니다.",
        "msg_pick_column": "표시할 항목을 하나 이상 고르세요.",
        "msg_columns_saved": "표시 항목을 저장했습니다.",
        "msg_pick_action": "일괄 처리할 작업을 고르세요.", "msg_select_orders": "처리할 주문을 선택하세요.",
        "msg_unknown_carrier": "택배사를 목록에서 고르세요.",
        "msg_job_created": "일괄처리를 시작했습니다.",
        "msg_shipped": "배송중으로 처리했습니다 ({invoice}).",
        "msg_split_quantity": "새 묶음으로 옮길 수량을 1개 이상 입력하세요.",
        "msg_split_done": "묶음을 나눴습니다.", "msg_merge_done": "묶음 {n}개를 하나로 합쳤습니다.",
        "msg_deposit_done": "입금을 확인했습니다.",
        "msg_order_created": "{name} 님에게 결제를 요청하는 주문을 만들었습니다.",
        "msg_upload_bad_rows": "입력 오류가 있는 {n}개 행은 처리하지 않았습니다. 아래에서 확인하세요.",
        # generic texts per service error code (when the exact message is not known)
        "err_invalid_input": "입력값을 확인하세요", "err_invalid_transition": "지금 상태에서는 할 수 없는 처리입니다",
        "err_not_found": "찾을 수 없습니다", "err_conflict": "다른 사용자가 동시에 변경했습니다. 다시 시도하세요",
        "err_order_cancelled": "취소된 주문입니다", "err_invoice_required": "택배사와 송장번호를 입력하세요",
        "err_out_of_stock": "재고가 부족합니다", "err_not_payable": "결제할 수 없는 주문입니다",
        "err_forbidden": "권한이 없습니다", "err_upstream_error": "일시적인 오류입니다. 잠시 후 다시 시도하세요",
        "err_bad_file": "파일을 읽을 수 없습니다", "err_sheet_columns": "시트의 열 제목을 확인하세요",
        "err_file_too_large": "파일이 너무 큽니다 (최대 20MB)",
        "err_already_paid": "이미 결제된 주문입니다", "err_bad_date": "날짜 형식이 올바르지 않습니다",
        "err_too_large": "요청이 너무 큽니다", "err_invalid_json": "요청 형식(JSON)이 올바르지 않습니다",
        "err_internal_error": "일시적인 오류입니다. 잠시 후 다시 시도하세요",
        "err_method_not_allowed": "허용되지 않는 요청입니다", "err_bad_request": "잘못된 요청입니다",
        "err_invalid_id": "번호 형식이 올바르지 않습니다", "err_sheet_too_large": "시트가 너무 큽니다",
    },
    "en": {
        "RETURNED": "Returned", "EXCHANGED": "Exchanged", "REFUNDED": "Refunded",
        "order_tabs": "Order tabs", "manage_tabs": "Manage tabs", "add_tab": "Add tab",
        "edit_tab": "Edit tab", "tab_name": "Tab name", "tab_name_placeholder": "e.g. Awaiting deposit",
        "tab_filter": "Filter", "order_count": "Orders", "order": "Order", "rename": "Rename",
        "edit_filter": "Edit filter", "delete": "Delete", "save": "Save", "cancel": "Cancel",
        "move_up": "Move up", "move_down": "Move down", "reset_tabs": "Restore default tabs",
        "reset_tabs_confirm": "Restore the default tabs? Tabs you made are removed.",
        "delete_tab_confirm": "Delete the tab '{name}'? No order is deleted.",
        "tabs_hint": "Build the tabs of the order list. Each tab saves statuses, claims, payment "
                     "methods, channels, an order-date range and search text; counts are live.",
        "tab_form_hint": "Several choices within one group match any of them; choices in several "
                         "groups must all match. Choose nothing to see every order.",
        "claims": "Claims", "claims_hint": "With statuses and claims both chosen, an order "
                                           "matching either shows.",
        "claim_CANCEL": "Cancel", "claim_RETURN": "Return", "claim_EXCHANGE": "Exchange",
        "order_date": "Order date", "date_from": "From", "date_to": "To",
        "search_text": "Search text", "search": "Search", "every_order": "All orders",
        "search_placeholder": "Order no., buyer/recipient name, phone, invoice no.",
        "clear_search": "Clear", "sort": "Sort", "page_size": "Orders per page",
        "per_page": "{n} per page", "columns": "Columns", "download": "Download",
        "columns_hint": "Choose and order the columns of the order list and of downloads. "
                        "Saved for your account.",
        "default_columns": "Default columns", "n_orders": "{n} orders", "range": "{a}–{b} of {n}",
        "first_page": "First", "prev_page": "Previous", "new_order": "Create order",
        "sort_placed_at_desc": "Newest first", "sort_placed_at_asc": "Oldest first",
        "sort_amount_desc": "Amount: high to low", "sort_amount_asc": "Amount: low to high",
        "sort_order_no_desc": "Order no. descending", "sort_order_no_asc": "Order no. ascending",
        "col_order_no": "Order no.", "col_placed_at": "Ordered at", "col_buyer": "Buyer",
        "col_recipient": "Recipient", "col_phone": "Phone", "col_items": "Items",
        "col_quantity": "Qty", "col_amount": "Amount", "col_payment_method": "Payment method",
        "col_payment_status": "Payment", "col_status": "Status", "col_invoice": "Carrier/invoice",
        "col_channel": "Channel", "col_memo": "Delivery note", "col_address": "Address",
        "selected_suffix": " selected", "select_page": "Select this page",
        "visible_selected": "All {n} orders on this page are selected.",
        "select_all_matching": "Select all {n} orders in this tab",
        "all_matching_selected": "All {n} orders in this tab are selected.",
        "clear_selection": "Clear selection",
        "bulk_CONFIRM_DEPOSIT": "Confirm deposit", "bulk_READY_TO_SHIP": "Mark ready to ship",
        "bulk_SHIP": "Mark shipped", "bulk_DELIVER": "Mark delivered", "bulk_CANCEL": "Cancel",
        "bulk_MERGE_AND_SHIP": "Merge and ship",
        "bulk_confirm": "{action}: {n} orders. Go ahead?",
        "ship_panel_hint": "Type the invoice numbers of the selected orders in the list. Left "
                           "empty, an invoice already registered is used.",
        "use_registered_invoice": "Use registered invoice", "run": "Run", "close": "Close",
        "bulk_jobs": "Bulk jobs", "bulk_job": "Bulk job", "bulk_action": "Action",
        "job_QUEUED": "Queued", "job_RUNNING": "Running", "job_DONE": "Finished",
        "job_source": "Target", "created_at": "Requested", "finished_at": "Finished",
        "processed": "Processed", "succeeded": "Succeeded", "failed": "Failed",
        "progress": "Progress", "total_n": "Total", "by": "By", "result": "Result",
        "reason": "Reason",
        "job_live_hint": "Running; this page updates itself. The job goes on if you close it.",
        "job_resolving_hint": "The tab's orders are chosen when the job starts, once the order list shows every earlier change.",
        "job_all_done": "Every item succeeded.", "no_items": "No items.", "no_jobs": "No bulk jobs yet.",
        "all": "All", "finished_only": "Finished only", "failed_only": "Failed only",
        "sheet_row": "Row",
        "source_all": "whole tab", "source_selected": "{n} selected", "source_upload": "invoice upload",
        "n_sections": "{n} parcels", "n_units": "{n} units",
        "ship_now": "Ship now", "split_section": "Split parcel",
        "split_hint": "Type how many units move to a new parcel (e.g. 2 of 5). The rest stays here; "
                      "the two parcels ship separately.",
        "in_section": "In parcel", "move_qty": "Move", "split_run": "Split into a new parcel",
        "merge_hint": "Pick parcels in the same status (preparing or ready to ship) to merge them.",
        "merge_selected": "Merge selected parcels", "merge_pick": "Pick to merge",
        "request_sent": "A payment request was sent to the buyer. Unpaid by the deadline, the "
                        "order is cancelled automatically.",
        "new_order_sub": "Create an order for a member, who is asked to pay it.",
        "buyer_member": "Buyer (member)", "member": "Member", "choose_member": "Choose a member",
        "add_item": "Add item", "product_sku": "Product / option",
        "choose_sku": "Choose a product and option", "stock_n": "{n} in stock", "remove": "Remove",
        "order_memo": "Note", "order_memo_placeholder": "e.g. phone order, delivery request",
        "payment_request": "Payment request", "request_amount": "Amount requested",
        "create_and_request": "Create and request payment",
        "new_order_hint": "Stock is reserved now and the buyer sees the request in my page. "
                          "Unpaid by the deadline, the order is cancelled automatically.",
        "payment_requests": "Payment requests", "pay_by": "Pay by",
        "payment_requests_hint": "Orders the shop created for you. Pay them by the deadline with "
                                 "the method you like.",
        "pay_card": "Pay by card", "pay_bank": "Bank transfer", "notifications": "Notifications",
        "notice_request": "The shop asks you to pay an order",
        "notice_expired": "Cancelled: the payment deadline passed",
        "notice_expired_hint": "A cancelled order cannot be paid any more; ask the shop for a "
                               "new order.",
        "no_notifications": "No new notifications.",
        "payment_not_confirmed": "The payment is not confirmed yet. If you finished paying, "
                                 "check again in a moment.",
        "check_again": "Check again",
        "invoice_upload": "Invoice upload", "upload_file": "Upload a file", "upload_run": "Upload and process",
        "upload_intro": "Upload an XLSX/CSV sheet with the order no. (or section no.), carrier, "
                        "invoice no. and action (배송대기 = ready to ship, 배송중 = shipped); each "
                        "row is processed and reported.",
        "choose_file": "Choose a file (XLSX, CSV)", "max_20mb": "up to 20 MB",
        "no_file_chosen": "No file chosen",
        "sheet_format": "Sheet format", "column": "Column", "content": "Content",
        "fmt_order_no": "Order no. (optional with a section no.); applies to all its preparing / "
                        "ready-to-ship parcels",
        "fmt_section": "Section no. (optional), to process one parcel",
        "fmt_invoice": "Invoice number (digits, hyphens)",
        "fmt_action": "배송대기 (register the invoice) or 배송중 (ship)",
        "download_template": "Download template",
        "download_template_tab": "Template with this tab's parcels to ship",
        "recent_uploads": "Recent uploads", "uploaded_at": "Uploaded", "file": "File",
        "rows": "Rows", "invalid_rows": "Invalid rows", "no_uploads": "No uploads yet.",
        "invalid_rows_hint": "Nothing was changed",
        "processing_failed": "Failed", "upload_report": "Upload report", "upload_action": "Action",
        "upload_to_READY_TO_SHIP": "Ready to ship", "upload_to_SHIP": "Ship", "view_job": "View job",
        "invalid": "Invalid", "no_rows": "No rows to process.",
        "invoice_template_name": "invoice-upload-template",
        "upload_guide_lines": "Invoice upload template\n"
                              "1. One row per line on the '송장' sheet, from row 2.\n"
                              "2. Give the order no. or the section no.; an order no. alone applies "
                              "to all its preparing / ready-to-ship parcels.\n"
                              "3. Pick the carrier from the list; the invoice no. is digits "
                              "(hyphens allowed).\n"
                              "4. 처리: 배송대기 = register the invoice, 배송중 = ship (also "
                              "straight from preparing).\n"
                              "5. Invalid rows change nothing and are reported with their row number.",
        "row_no_order": "No order no. or section no.",
        "row_section_mismatch": "The section no. is not a parcel of this order.",
        "row_bad_order": "Not an order or section number: {value}",
        "row_no_carrier": "No carrier.", "row_unknown_carrier": "Unknown carrier: {value}",
        "row_no_invoice": "The invoice no. is empty.",
        "row_bad_invoice": "Not an invoice number: {value}",
        "row_unknown_action": "The action must be 배송대기 or 배송중: {value}",
        "row_duplicate": "The same order (parcel) is already on row {value}.",
        "msg_bad_credentials": "Wrong ID or password.",
        "msg_too_many_attempts": "Too many failed log-ins. Try again in {minutes} minutes.",
        "err_too_many_attempts": "Too many log-in attempts",
        "err_csrf_failed": "This page has expired. Reload it and try again",
        "err_cross_site_request": "Requests from other sites are not accepted",
        "msg_seller_cannot_order": "A seller account cannot place orders.",
        "msg_choose_payment": "Choose a payment method.",
        "msg_tab_name": "A tab name has 1 to 20 characters.",
        "msg_tab_saved": "Tab '{name}' saved.", "msg_tab_deleted": "Tab '{name}' deleted.",
        "msg_tabs_reset": "Default tabs restored.", "msg_last_tab": "Keep at least one tab.",
        "msg_pick_column": "Choose at least one column.", "msg_columns_saved": "Columns saved.",
        "msg_pick_action": "Choose a bulk action.", "msg_select_orders": "Select orders first.",
        "msg_unknown_carrier": "Choose a carrier from the list.",
        "msg_job_created": "Bulk job started.",
        "msg_shipped": "Marked shipped ({invoice}).",
        "msg_split_quantity": "Type at least 1 unit to move to a new parcel.",
        "msg_split_done": "Parcel split.", "msg_merge_done": "{n} parcels merged into one.",
        "msg_deposit_done": "Deposit confirmed.",
        "msg_order_created": "Order created; {name} was asked to pay it.",
        "msg_upload_bad_rows": "{n} invalid rows were not processed; see below.",
        "err_invalid_input": "Check your input", "err_invalid_transition": "Not possible in the current status",
        "err_not_found": "Not found", "err_conflict": "Changed by someone else meanwhile; try again",
        "err_order_cancelled": "The order is cancelled", "err_invoice_required": "Give the carrier and invoice number",
        "err_out_of_stock": "Out of stock", "err_not_payable": "This order cannot be paid",
        "err_forbidden": "Not allowed", "err_upstream_error": "Temporary error; try again shortly",
        "err_bad_file": "Cannot read the file", "err_sheet_columns": "Check the sheet's column titles",
        "err_file_too_large": "The file is too large (max 20 MB)",
        "err_already_paid": "Already paid", "err_bad_date": "Not a date",
        "err_too_large": "The request is too large", "err_invalid_json": "The request is not valid JSON",
        "err_internal_error": "Temporary error; try again shortly",
        "err_method_not_allowed": "Not allowed", "err_bad_request": "Bad request",
        "err_invalid_id": "Not a valid id", "err_sheet_too_large": "The sheet is too large",
        # default tab names (the orders service stores them in Korean)
        "전체": "All", "결제대기": "Payment pending", "상품준비": "Preparing", "배송대기": "Ready to ship",
        "배송중": "Shipping", "배송완료": "Delivered", "구매확정": "Confirmed", "취소": "Cancelled",
        "반품": "Returns", "교환": "Exchanges",
    },
}
for _lang, _table in _MORE.items():
    MESSAGES[_lang].update(_table)

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
    (r"^order (.+) not found$", "주문 {0}을(를) 찾을 수 없습니다."),
    (r"^order (\S+): no section in (\S+) \(sections are (.*)\)$",
     "주문 {0}에 {1} 상태인 묶음이 없습니다 (현재: {2})."),
    (r"^no PREPARING or READY_TO_SHIP section \(statuses: (.*)\)$",
     "상품준비 또는 배송대기 상태인 묶음이 없습니다 (현재: {0})."),
    (r"^order (\S+) is already paid$", "주문 {0}은(는) 이미 결제되었습니다."),
    (r"^payment of (\d+) KRW does not match the order amount (\d+) KRW$",
     "결제 금액 {0}원이 주문 금액 {1}원과 다릅니다."),
    (r"^payment (\S+) of order (\S+) was already refunded$",
     "주문 {1}의 입금 {0}은(는) 이미 환불되었습니다."),
    (r"^payment to refund (\S+) of order (\S+) not found$",
     "주문 {1}에 환불할 입금 {0}이(가) 없습니다."),
    (r"^order (\S+) is paid by card: only the PG confirms it$",
     "주문 {0}은(는) 카드 결제 주문입니다: 입금확인은 무통장 입금 주문에만 할 수 있습니다."),
    (r"^nothing matches this selection$", "선택한 조건에 해당하는 주문이 없습니다."),
    (r"^order (\S+) cannot be paid \(payment (\w+)\)$",
     "주문 {0}은(는) 결제할 수 없습니다 ({1})."),
    (r"^member (\S+) not found$", "회원 {0}을(를) 찾을 수 없습니다."),
    (r"^discount (\d+) exceeds the items total (\d+)$",
     "할인 금액({0}원)이 상품 금액({1}원)보다 클 수 없습니다."),
    (r"^line (\S+): section (\S+) holds (\d+) units, cannot move (\d+)$",
     "묶음 {1}에는 {2}개만 있어 {3}개를 옮길 수 없습니다."),
    (r"^line (\S+) is not in section (\S+)$", "묶음 {1}에 없는 상품입니다."),
    (r"^section (\S+) is not part of order (\S+)$", "묶음 {0}은(는) 주문 {1}에 없습니다."),
    (r"^sections (.*) are not part of order (\S+)$", "묶음 {0}은(는) 주문 {1}에 없습니다."),
    (r"^an order needs at least one line$", "상품을 하나 이상 선택하세요."),
    (r"^each SKU may appear once", "같은 옵션이 두 번 들어 있습니다."),
    (r"^date_from is after date_to$", "시작일이 종료일보다 늦습니다."),
    (r"^(date_from|date_to): not a date", "날짜 형식이 올바르지 않습니다."),
    (r"^upload an \.xlsx or \.csv file$", "XLSX 또는 CSV 파일을 올려 주세요."),
    (r"^the file is empty$", "빈 파일입니다."),
    (r"^the file is not a readable XLSX workbook$", "XLSX 파일을 읽을 수 없습니다."),
    (r"^the CSV file is neither UTF-8 nor CP949 text$",
     "CSV 파일의 문자 인코딩을 알 수 없습니다 (UTF-8 또는 CP949로 저장하세요)."),
    (r"^the sheet lacks the columns: (.*)$", "시트에 필요한 열이 없습니다: {0}"),
    (r"^no header row with ", "첫 행에 주문번호, 택배사, 송장번호, 처리 열 제목을 적어 주세요."),
    (r"^the file is larger than 20 MB$", "파일이 너무 큽니다 (최대 20MB)."),
    (r"^not a valid id: (.*)$", "올바르지 않은 번호입니다: {0}"),
    (r"^an id may hold only letters, digits", "번호에는 영문, 숫자, '.', '_', '-'만 쓸 수 있습니다."),
    (r"^the sheet has more than (\d+) rows$", "시트의 행이 너무 많습니다 (최대 {0}행)."),
    (r"^the workbook unpacks to more than (\d+) MB$",
     "파일의 압축을 푼 크기가 너무 큽니다 (최대 {0}MB)."),
    (r"^the CSV file is not readable$", "CSV 파일을 읽을 수 없습니다."),
    (r"date out of range \((\S+) to (\S+)\)$", "날짜는 {0}부터 {1}까지만 입력할 수 있습니다."),
    (r"number out of range", "숫자가 허용 범위를 벗어났습니다."),
    (r"text holds an invalid character", "입력에 사용할 수 없는 문자가 있습니다."),
    (r"^request body over (\d+) bytes$", "요청이 너무 큽니다."),
    (r"^the request body is not valid JSON$", "요청 형식(JSON)이 올바르지 않습니다."),
    (r"^internal error$", "일시적인 오류입니다. 잠시 후 다시 시도하세요."),
    (r"^(\S+): Input should be a valid (integer|boolean|number)",
     "입력값의 형식이 올바르지 않습니다."),
    (r"^this needs a seller account$", "판매자 계정으로 로그인하세요."),
    (r"^(\S+): (Field required|String should have at least \d+ characters?)$",
     "필수 항목을 입력하세요: {0}"),
    (r"^(\S+\.)?phone: String should match pattern", "연락처 형식이 올바르지 않습니다 (예: 010-1234-5678)."),
    (r"^(\S+\.)?zipcode: String should match pattern", "우편번호는 숫자 5자리입니다."),
]]

# Field names in validation messages, for Korean readers.
FIELDS_KO = {"name": "이름", "address1": "주소", "ship_to.name": "수령인", "ship_to.address1": "주소",
             "zipcode": "우편번호", "phone": "연락처", "invoice_no": "송장번호", "carrier": "택배사",
             "order_no": "주문번호", "action": "처리", "section_id": "섹션번호"}


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
                    return text.format(*(self._tokens(g or "") for g in m.groups()))
        return key

    def _tokens(self, text: str) -> str:
        """Status names and field names inside a message part, translated one by one."""
        if text in self.table:
            return self.table[text]
        if text in FIELDS_KO:
            return FIELDS_KO[text]
        return re.sub(r"\b[A-Z][A-Z_]{2,}\b", lambda m: self.table.get(m.group(), m.group()),
                      text)

    def known(self, message: str) -> bool:
        return self(message) != message

    def error(self, code: str, message: str) -> str:
        """An error for a page of its own: the message when it reads in this language, else
        the generic text of its code; never a developer's English on a Korean page."""
        if self.lang != "ko" or self.known(message):
            return self(message)
        return self.table.get(f"err_{code}") or self.table.get("err_error") or message

    def flash(self, f: dict[str, Any]) -> str:
        """A flash message: our own code (an i18n key), else the service's message when it is a
        known one, else a generic text for the error code followed by the message."""
        code, message = f.get("code") or "", f.get("message") or ""
        params = f.get("params") or {}
        if code in self.table and not code.startswith("err_"):
            return self.table[code].format(**params) if params else self.table[code]
        if message and (self.lang != "ko" or self.known(message)):
            return self(message)
        generic = self.table.get(f"err_{code}")
        if generic:
            return f"{generic}: {message}" if message else generic
        return self(message or code)

    def reason(self, text: str) -> str:
        """A bulk job item's reason, e.g. "section X-1: section X-1 is SHIPPING: cannot move
        to READY_TO_SHIP" (where: what)."""
        if not text or self.lang != "ko" or self.known(text):
            return self(text)
        m = re.match(r"^(section|order) (\S+): (.*)$", text)
        if m:
            where = "묶음" if m.group(1) == "section" else "주문"
            return f"{where} {m.group(2)}: {self(m.group(3))}"
        return text

    def row_error(self, e: dict[str, Any]) -> str:
        return self(e["code"]).format(value=e.get("value", ""))

    def column(self, key: str, fallback: str) -> str:
        found = self.table.get(f"col_{key}")
        return found if found is not None else fallback

    def source(self, text: str) -> str:
        """A bulk job's source ("tab · search · selected N", "invoice upload · file")."""
        parts = []
        for part in (text or "").split(" · "):
            m = re.fullmatch(r"selected (\d+)", part)
            if m:
                parts.append(self.fmt("source_selected", n=m.group(1)))
            elif part == "all":
                parts.append(self("source_all"))
            elif part == "invoice upload":
                parts.append(self("source_upload"))
            else:
                parts.append(self.table.get(part, part))
        return " · ".join(parts)

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


def register(labels: dict[str, dict[str, str]], errors: list[tuple[str, str]]) -> None:
    """Merge a feature's labels (by language) and Korean error translations; a key or pattern
    already here is kept, so the shared wording wins."""
    for lang, mine in labels.items():
        table = MESSAGES.setdefault(lang, {})
        for key, text in mine.items():
            table.setdefault(key, text)
    known = {p.pattern for p, _ in ERRORS_KO}
    ERRORS_KO.extend((re.compile(p), m) for p, m in errors if p not in known)


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
