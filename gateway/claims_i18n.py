"""Labels and error translations of the claims pages, merged into gateway.i18n at import time
(keys start with `cl_`; claim states and the claim section statuses are bare keys)."""

from __future__ import annotations

import re

from gateway.i18n import ERRORS_KO, MESSAGES

KINDS = {"CANCEL": ("취소", "Cancel"), "RETURN": ("반품", "Return"), "EXCHANGE": ("교환", "Exchange")}
STATES = {
    "REQUESTED": ("접수", "Requested"), "APPROVED": ("승인", "Approved"),
    "COLLECTED": ("회수완료", "Collected"), "RESHIPPED": ("재배송", "Reshipped"),
    "REFUNDING": ("환불중", "Refunding"), "REFUND_FAILED": ("환불실패", "Refund failed"),
    "COMPLETED": ("완료", "Completed"), "REJECTED": ("거부", "Rejected"),
}
# What a buyer reads for a claim in a state, by kind (e.g. 반품요청, 수거중, 교환완료).
BY_KIND = {
    ("CANCEL", "REQUESTED"): ("취소요청", "Cancel requested"),
    ("CANCEL", "APPROVED"): ("취소승인", "Cancel approved"),
    ("CANCEL", "COMPLETED"): ("취소완료", "Cancelled"),
    ("RETURN", "REQUESTED"): ("반품요청", "Return requested"),
    ("RETURN", "APPROVED"): ("수거중", "Pick-up"),
    ("RETURN", "COMPLETED"): ("반품완료", "Returned"),
    ("EXCHANGE", "REQUESTED"): ("교환요청", "Exchange requested"),
    ("EXCHANGE", "APPROVED"): ("수거중", "Pick-up"),
    ("EXCHANGE", "COMPLETED"): ("교환완료", "Exchanged"),
}
REASONS = {
    "CHANGE_OF_MIND": ("단순 변심", "Change of mind"),
    "DEFECT": ("상품 불량·파손", "Defective or damaged"),
    "WRONG_ITEM": ("오배송 (다른 상품 수령)", "Wrong item delivered"),
    "DELAYED": ("배송 지연", "Delivery delayed"),
    "OTHER": ("기타", "Other"),
}

KO: dict[str, str] = {
    "cl_claims": "취소/반품/교환", "cl_open_claim": "클레임 접수", "cl_history": "취소·반품·교환 내역", "cl_claim": "클레임", "cl_claim_no": "클레임번호",
    "cl_kind": "유형", "cl_state": "처리상태", "cl_reason": "사유", "cl_reason_detail": "상세 사유",
    "cl_reason_placeholder": "상품 상태나 요청 내용을 적어 주세요 (선택)",
    "cl_requested_at": "접수일시", "cl_requested_by": "요청자", "cl_units": "신청 수량",
    "cl_choose_items": "신청할 상품과 수량", "cl_choose_reason": "사유 선택",
    "cl_claimable": "신청 가능 {n}개", "cl_not_claimable": "신청 불가",
    "cl_of_n": "{n}개 중", "cl_replacement": "교환받을 옵션", "cl_same_option": "같은 옵션으로 교환",
    "cl_price_diff": "차액", "cl_sold_out": "품절",
    "cl_fee_method": "반품·교환 배송비 결제", "cl_retry_n": "재시도 {n}회차",
    "cl_restocked": "재고 복원", "cl_yes": "예", "cl_no": "아니오", "cl_fee_deduct": "환불금에서 차감",
    "cl_fee_separate": "별도 입금 (판매자 계좌)",
    "cl_fee_hint": "단순 변심에 의한 반품·교환은 배송비를 구매자가 부담합니다. 무료배송 쿠폰으로는 "
                   "반품·교환 배송비를 낼 수 없습니다.",
    "cl_estimate": "예상 환불 금액", "cl_settled": "환불 금액", "cl_items_amount": "상품 금액",
    "cl_discount_back": "할인 차감", "cl_shipping_back": "배송비 환불", "cl_fee": "반품·교환 배송비",
    "cl_difference": "교환 차액", "cl_to_payment": "결제수단으로", "cl_to_points": "적립금으로",
    "cl_due": "추가 결제 금액", "cl_due_paid": "입금 확인됨", "cl_refund_total": "총 환불 예정",
    "cl_estimate_hint": "판매자가 처리를 완료하면 결제수단과 적립금으로 나누어 환불됩니다.",
    "cl_submit_CANCEL": "취소 신청하기", "cl_submit_RETURN": "반품 신청하기",
    "cl_submit_EXCHANGE": "교환 신청하기",
    "cl_request_CANCEL": "취소 신청", "cl_request_RETURN": "반품 신청",
    "cl_request_EXCHANGE": "교환 신청",
    "cl_intro_CANCEL": "발송 전 상품을 취소합니다. 상품준비 중인 상품은 바로 취소되고 환불됩니다.",
    "cl_intro_RETURN": "받으신 상품을 돌려보내고 환불받습니다. 판매자 승인 후 택배 기사가 수거합니다.",
    "cl_intro_EXCHANGE": "같은 상품의 다른 옵션(또는 같은 옵션)으로 바꿔 드립니다. 수거 후 새 상품을 "
                         "보내 드립니다.",
    "cl_nothing_claimable": "신청할 수 있는 상품이 없습니다.",
    "cl_my_claims": "취소/반품/교환 내역", "cl_no_claims": "신청한 내역이 없습니다.",
    "cl_back_to_order": "주문 상세로", "cl_open_for_buyer": "구매자 대신 접수",
    "cl_open_for_buyer_hint": "판매자가 접수한 클레임은 바로 승인됩니다 (취소는 즉시 환불).",
    "cl_msg_requested": "{what} 신청이 접수되었습니다.",
    "cl_msg_done": "처리되었습니다.", "cl_msg_settings": "클레임 설정을 저장했습니다.",
    "cl_all": "전체", "cl_on_hold": "보류", "cl_hold": "보류", "cl_release": "보류 해제",
    "cl_hold_reason": "보류 사유", "cl_hold_placeholder": "예) 반품 배송비 미입금",
    "cl_approve": "승인", "cl_reject": "거부", "cl_reject_reason": "거부 사유",
    "cl_reject_placeholder": "구매자에게 안내됩니다", "cl_collect": "회수 완료",
    "cl_reship": "재배송", "cl_complete_RETURN": "반품 완료 · 환불",
    "cl_complete_EXCHANGE": "교환 완료", "cl_restock": "회수 상품을 재고로 되돌리기",
    "cl_retry_refund": "환불 재시도", "cl_manual_refund": "수동 환불 완료 처리",
    "cl_manual_hint": "PG 환불이 실패했을 때 계좌이체 등으로 직접 환불한 내역을 남깁니다.",
    "cl_bank": "은행", "cl_account": "계좌번호", "cl_holder": "예금주", "cl_note": "메모",
    "cl_due_received": "입금 확인", "cl_due_note_placeholder": "입금자명, 입금일 등",
    "cl_actions": "처리", "cl_no_action": "더 처리할 일이 없습니다.",
    "cl_waiting_units": "주문에 반영 중입니다. 잠시 후 새로고침하세요.",
    "cl_refund": "환불", "cl_refund_status": "환불 상태", "cl_pg_tx": "PG 거래번호",
    "cl_refund_failed_reason": "실패 사유", "cl_refund_manual": "수동 환불",
    "cl_rf_REQUESTED": "PG 환불 요청 중", "cl_rf_SUCCEEDED": "PG 환불 완료",
    "cl_rf_FAILED": "PG 환불 실패", "cl_rf_MANUAL": "수동 환불 완료",
    "cl_history": "처리 이력", "cl_h_opened": "접수", "cl_h_units_moved": "주문 반영",
    "cl_h_state": "상태 변경", "cl_h_hold": "보류", "cl_h_release": "보류 해제",
    "cl_h_due_paid": "추가 결제 입금 확인",
    "cl_order": "주문", "cl_order_detail": "주문 상세", "cl_open_by_order_no": "주문번호로 접수",
    "cl_order_no_placeholder": "주문번호 입력", "cl_go": "접수하기", "cl_settings": "클레임 설정",
    "cl_set_cancel_approval": "상품준비 상태의 취소 요청도 판매자 승인 후 처리",
    "cl_set_cancel_approval_hint": "끄면 상품준비 중인 상품의 취소는 즉시 처리되고 환불됩니다.",
    "cl_set_fee_one_way": "반품 배송비 (편도)", "cl_set_fee_round_trip": "반품·교환 배송비 (왕복)",
    "cl_set_fee_hint": "구매자 귀책(단순 변심)일 때만 부과합니다. 처음 배송비를 낸 주문의 반품은 "
                       "편도, 무료배송 주문의 반품과 모든 교환은 왕복입니다.",
    "cl_save": "저장", "cl_version": "버전", "cl_more_items": "외 {n}건",
    "cl_no_list": "해당하는 클레임이 없습니다.", "cl_buyer_view": "구매자 화면",
    "cl_confirm_approve": "이 클레임을 승인하시겠습니까?",
    "cl_confirm_reject": "이 클레임을 거부하시겠습니까? 상품은 원래 상태로 돌아갑니다.",
    "cl_confirm_complete": "처리를 완료하고 환불하시겠습니까?",
    "cl_steps": "진행 단계", "cl_step_done": "완료",
    "cl_who_buyer": "구매자", "cl_who_seller": "판매자", "cl_who_system": "시스템",
    "cl_who_partner": "PG",
    "cl_replacement_to": "→ {label}",
    "RETURNED": "반품완료", "EXCHANGED": "교환완료", "REFUNDED": "환불완료",
    "act_claim_opened": "취소/반품/교환 접수", "act_claim_state": "취소/반품/교환 처리",
    "act_claim_refused": "취소/반품/교환 반영 불가",
    "cl_why_confirmed": "구매확정 후에는 반품/교환을 신청할 수 없습니다",
    "cl_why_shipped": "발송된 상품은 반품을 신청해 주세요", "cl_why_not_shipped":
    "발송 전 상품은 취소를 신청해 주세요", "cl_why_in_claim": "진행 중인 신청이 있습니다",
    "cl_whole_order": "결제 전 주문은 주문 전체만 취소할 수 있습니다.",
    "cl_confirm_first": "구매확정 후에는 반품/교환을 신청할 수 없습니다.",
}
EN: dict[str, str] = {
    "cl_claims": "Cancel / return / exchange", "cl_open_claim": "Open a claim", "cl_history": "My claims", "cl_claim": "Claim", "cl_claim_no": "Claim no.",
    "cl_kind": "Type", "cl_state": "State", "cl_reason": "Reason", "cl_reason_detail": "Details",
    "cl_reason_placeholder": "Describe the item's condition or your request (optional)",
    "cl_requested_at": "Requested", "cl_requested_by": "By", "cl_units": "Units",
    "cl_choose_items": "Items and quantities", "cl_choose_reason": "Reason",
    "cl_claimable": "{n} claimable", "cl_not_claimable": "Not claimable",
    "cl_of_n": "of {n}", "cl_replacement": "Replacement option", "cl_same_option": "Same option",
    "cl_price_diff": "Difference", "cl_sold_out": "Sold out",
    "cl_fee_method": "Return/exchange shipping fee", "cl_retry_n": "attempt {n}",
    "cl_restocked": "Restocked", "cl_yes": "Yes", "cl_no": "No", "cl_fee_deduct": "Deduct from the refund",
    "cl_fee_separate": "Pay separately (seller's account)",
    "cl_fee_hint": "The buyer pays return/exchange shipping for a change of mind. Free-shipping "
                   "coupons never cover it.",
    "cl_estimate": "Estimated refund", "cl_settled": "Refund", "cl_items_amount": "Items",
    "cl_discount_back": "Discount share", "cl_shipping_back": "Shipping refunded",
    "cl_fee": "Return/exchange shipping", "cl_difference": "Price difference",
    "cl_to_payment": "To the payment", "cl_to_points": "To points", "cl_due": "Amount due",
    "cl_due_paid": "Payment received", "cl_refund_total": "Total refund",
    "cl_estimate_hint": "Refunded to the payment and to points when the seller completes it.",
    "cl_submit_CANCEL": "Request cancellation", "cl_submit_RETURN": "Request return",
    "cl_submit_EXCHANGE": "Request exchange", "cl_request_CANCEL": "Cancel items",
    "cl_request_RETURN": "Return items", "cl_request_EXCHANGE": "Exchange items",
    "cl_intro_CANCEL": "Cancel items not shipped yet. Items being prepared are cancelled and "
                       "refunded at once.",
    "cl_intro_RETURN": "Send items back for a refund. A courier picks them up once the seller "
                       "approves.",
    "cl_intro_EXCHANGE": "Swap items for another (or the same) option of the product.",
    "cl_nothing_claimable": "Nothing can be claimed.",
    "cl_my_claims": "Cancellations, returns, exchanges", "cl_no_claims": "No requests yet.",
    "cl_back_to_order": "Back to the order", "cl_open_for_buyer": "Open for the buyer",
    "cl_open_for_buyer_hint": "Claims a seller opens are approved at once (a cancel is refunded).",
    "cl_msg_requested": "{what} request received.", "cl_msg_done": "Done.",
    "cl_msg_settings": "Claim settings saved.", "cl_all": "All", "cl_on_hold": "On hold",
    "cl_hold": "Hold", "cl_release": "Release", "cl_hold_reason": "Reason for the hold",
    "cl_hold_placeholder": "e.g. return fee not paid", "cl_approve": "Approve",
    "cl_reject": "Reject", "cl_reject_reason": "Reason", "cl_reject_placeholder":
    "The buyer sees it", "cl_collect": "Collected", "cl_reship": "Reship",
    "cl_complete_RETURN": "Complete and refund", "cl_complete_EXCHANGE": "Complete exchange",
    "cl_restock": "Put the returned units back in stock", "cl_retry_refund": "Retry refund",
    "cl_manual_refund": "Mark refunded by hand",
    "cl_manual_hint": "Record a refund made outside the PG (e.g. bank transfer).",
    "cl_bank": "Bank", "cl_account": "Account", "cl_holder": "Holder", "cl_note": "Note",
    "cl_due_received": "Payment received", "cl_due_note_placeholder": "Payer, date, …",
    "cl_actions": "Actions", "cl_no_action": "Nothing left to do.",
    "cl_waiting_units": "Being applied to the order; refresh in a moment.",
    "cl_refund": "Refund", "cl_refund_status": "Refund status", "cl_pg_tx": "PG transaction",
    "cl_refund_failed_reason": "Failure", "cl_refund_manual": "Manual refund",
    "cl_rf_REQUESTED": "Sent to the PG", "cl_rf_SUCCEEDED": "Refunded by the PG",
    "cl_rf_FAILED": "PG refund failed", "cl_rf_MANUAL": "Refunded by hand",
    "cl_history": "History", "cl_h_opened": "Opened", "cl_h_units_moved": "Applied to the order",
    "cl_h_state": "State", "cl_h_hold": "Hold", "cl_h_release": "Released",
    "cl_h_due_paid": "Payment received", "cl_order": "Order", "cl_order_detail": "Order detail",
    "cl_open_by_order_no": "Open by order no.", "cl_order_no_placeholder": "Order number",
    "cl_go": "Open", "cl_settings": "Claim settings",
    "cl_set_cancel_approval": "Cancels of items being prepared wait for approval",
    "cl_set_cancel_approval_hint": "When off, such cancels are immediate and refunded.",
    "cl_set_fee_one_way": "Return shipping (one way)",
    "cl_set_fee_round_trip": "Return/exchange shipping (round trip)",
    "cl_set_fee_hint": "Charged only for a change of mind: one way when the buyer paid the "
                       "shipping, else (and for exchanges) the round trip.",
    "cl_save": "Save", "cl_version": "Version", "cl_more_items": "+{n} more",
    "cl_no_list": "No claims here.", "cl_buyer_view": "Buyer's view",
    "cl_confirm_approve": "Approve this claim?",
    "cl_confirm_reject": "Reject this claim? The units go back to their status.",
    "cl_confirm_complete": "Complete and refund?", "cl_steps": "Steps", "cl_step_done": "Done",
    "cl_who_buyer": "Buyer", "cl_who_seller": "Seller", "cl_who_system": "System",
    "cl_who_partner": "PG", "cl_replacement_to": "→ {label}",
    "RETURNED": "Returned", "EXCHANGED": "Exchanged", "REFUNDED": "Refunded",
    "act_claim_opened": "Claim opened", "act_claim_state": "Claim updated",
    "act_claim_refused": "Claim refused",
    "cl_why_confirmed": "Confirmed purchases cannot be returned or exchanged",
    "cl_why_shipped": "Shipped: request a return instead", "cl_why_not_shipped":
    "Not shipped yet: cancel instead", "cl_why_in_claim": "A request is in progress",
    "cl_whole_order": "Before payment only the whole order can be cancelled.",
    "cl_confirm_first": "Confirmed purchases cannot be returned or exchanged.",
}
for _key, (_ko, _en) in KINDS.items():
    KO[f"cl_{_key}"], EN[f"cl_{_key}"] = _ko, _en
for _key, (_ko, _en) in REASONS.items():
    KO[f"cl_reason_{_key}"], EN[f"cl_reason_{_key}"] = _ko, _en
for _kind in KINDS:
    for _state, (_ko, _en) in STATES.items():
        _ko, _en = BY_KIND.get((_kind, _state), (_ko, _en))
        KO[f"cl_{_kind}_{_state}"], EN[f"cl_{_kind}_{_state}"] = _ko, _en
for _state, (_ko, _en) in STATES.items():
    KO[f"cl_state_{_state}"], EN[f"cl_state_{_state}"] = _ko, _en
    KO[_state], EN[_state] = _ko, _en  # bare, for states inside service messages

# The claims service's (and orders' claim) refusals, for Korean readers.
ERRORS: list[tuple[str, str]] = [
    (r"^the purchase is confirmed: returns and exchanges are no longer accepted$",
     "구매확정된 상품은 반품/교환을 신청할 수 없습니다."),
    (r"^the section is cancelled: nothing to claim$", "취소된 상품입니다."),
    (r"^the units were already (returned|exchanged): nothing to claim$",
     "이미 반품/교환이 완료된 상품입니다."),
    (r"^the section is (\w+): it has shipped, request a return instead$",
     "{0} 상태의 상품은 취소할 수 없습니다. 반품을 신청해 주세요."),
    (r"^the section is (\w+): it has not shipped yet, cancel it instead$",
     "아직 발송 전({0})인 상품입니다. 반품 대신 취소를 신청해 주세요."),
    (r"^line (\S+): section (\S+) holds (\d+) units, cannot claim (\d+)$",
     "남은 수량({2}개)보다 많이({3}개) 신청할 수 없습니다."),
    (r"^line (\S+): (\d+) of (\d+) units in section (\S+) are already under claim$",
     "{2}개 중 {1}개는 이미 취소/반품/교환이 진행 중입니다."),
    (r"^section (\S+) is already under (a \w+ )?claim$",
     "이미 취소/반품/교환이 진행 중인 상품입니다."),
    (r"^claim units of sections in one status at a time", "같은 상태의 상품끼리 신청해 주세요."),
    (r"^claim units from sections in one status at a time$", "같은 상태의 상품끼리 신청해 주세요."),
    (r"^before payment only the whole order can be cancelled$",
     "결제 전에는 주문 전체만 취소할 수 있습니다."),
    (r"^choose at least one item and a quantity$", "신청할 상품과 수량을 선택하세요."),
    (r"^tell us the reason of the return or exchange$", "반품/교환 사유를 입력하세요."),
    (r"^SKU (\S+) is not an option of (.*): exchange within the product$",
     "교환은 같은 상품의 다른 옵션으로만 가능합니다."),
    (r"^claim (\S+) is on hold \((.*)\): release it first$",
     "클레임 {0}은(는) 보류 중입니다 ({1}). 보류를 해제한 뒤 처리하세요."),
    (r"^claim (\S+) is already on hold$", "이미 보류 중인 클레임입니다."),
    (r"^claim (\S+) is not on hold$", "보류 중인 클레임이 아닙니다."),
    (r"^claim (\S+): the order has not taken the units yet", "주문에 아직 반영되지 않았습니다. "
                                                            "잠시 후 다시 시도하세요."),
    (r"^claim (\S+) changed since you loaded it$",
     "클레임 {0}이(가) 그사이 다른 사용자에 의해 변경되었습니다. 새로고침한 뒤 다시 처리하세요."),
    (r"^claim (\S+) changed meanwhile; reload it$",
     "클레임 {0}이(가) 동시에 변경되었습니다. 새로고침한 뒤 다시 처리하세요."),
    (r"^claim (\S+): the buyer owes (\d+) KRW; record the payment first",
     "구매자가 추가로 입금할 금액({1}원)이 있습니다. 입금을 확인한 뒤 완료하세요."),
    (r"^claim (\S+): payment already recorded$", "이미 입금 확인된 클레임입니다."),
    (r"^claim (\S+) is a (\w+): cannot (.*)$", "클레임 {0}({1})에는 할 수 없는 처리입니다."),
    (r"^claim (\S+) is (\w+): cannot (.*)$", "클레임 {0}은(는) {1} 상태라 처리할 수 없습니다."),
    (r"^give a reason for rejecting the claim$", "거부 사유를 입력하세요."),
    (r"^give a reason for the hold$", "보류 사유를 입력하세요."),
    (r"^reshipping needs a carrier and an invoice number$",
     "재배송하려면 택배사와 송장번호를 입력하세요."),
    (r"^give the bank and the account refunded to$", "환불한 은행과 계좌번호를 입력하세요."),
    (r"^claim (\S+) not found$", "클레임을 찾을 수 없습니다."),
    (r"^section (\S+) not found$", "묶음 {0}을(를) 찾을 수 없습니다."),
    (r"^SKU (\S+) not found$", "옵션 {0}을(를) 찾을 수 없습니다."),
    (r"^section (\S+) is (\w+): a (\w+) is not possible$",
     "상품이 그사이 {1} 상태가 되어 {2}을(를) 진행할 수 없습니다."),
    (r"^section (\S+) holds (\d+) units of line (\S+), cannot claim (\d+)$",
     "남은 수량({1}개)이 신청 수량({3}개)보다 적어 진행할 수 없습니다."),
    (r"^order (\S+) is CANCELLED$", "취소된 주문입니다."),
    (r"^quantities must be at least 1$", "수량은 1개 이상이어야 합니다."),
]


def install() -> None:
    """Merge the labels (an existing key is kept: the pages owner's wording wins)."""
    for table, mine in ((MESSAGES["ko"], KO), (MESSAGES.setdefault("en", {}), EN)):
        for key, text in mine.items():
            table.setdefault(key, text)
    known = {p.pattern for p, _ in ERRORS_KO}
    ERRORS_KO.extend((re.compile(p), m) for p, m in ERRORS if p not in known)


install()
