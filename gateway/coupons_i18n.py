"""Coupon and points labels (Korean first), merged into gateway.i18n when imported."""

from __future__ import annotations

import re

from gateway.i18n import ERRORS_KO, MESSAGES

KO = {
    "coupons": "쿠폰", "coupon": "쿠폰", "my_coupons": "내 쿠폰", "coupon_discount": "쿠폰 할인",
    "best_discount": "주문서 최대 할인", "apply_best": "최대 할인 적용", "apply_choice": "선택 적용",
    "best_applied": "최대 할인이 적용되었습니다: {n} 할인",
    "not_best": "최대 할인보다 {n} 적게 할인됩니다.",
    "no_coupon": "적용 안 함", "product_coupon": "상품 쿠폰", "order_coupon": "주문 쿠폰",
    "shipping_coupon": "배송비 쿠폰", "product_coupon_off": "상품 쿠폰 할인",
    "order_coupon_off": "주문 쿠폰 할인", "shipping_coupon_off": "배송비 쿠폰 할인",
    "points": "적립금", "points_use": "적립금 사용", "points_balance": "보유 적립금",
    "points_max": "최대 {n} 사용 가능", "points_rules": "{min} 이상 보유 시, {unit} 단위로 사용",
    "use_all_points": "모두 사용", "points_ledger": "적립금 내역", "reason": "사유",
    "delta": "증감", "balance": "잔액", "cumulative_purchase": "누적 구매금액",
    "pr_purchase_confirmed": "구매확정 적립", "pr_used": "주문 사용", "pr_use_cancelled": "주문 실패 복원",
    "pr_order_cancelled": "주문 취소 환원", "pr_refund": "환불 환원",
    "coupon_kind_product": "상품 쿠폰", "coupon_kind_order": "주문 쿠폰",
    "coupon_kind_shipping": "배송비 쿠폰", "coupon_name": "쿠폰명", "coupon_kind": "종류",
    "coupon_value": "할인", "coupon_fixed": "정액(원)", "coupon_percent": "정률(%)",
    "max_discount": "최대 할인금액", "min_purchase": "최소 구매금액", "valid_period": "유효기간",
    "valid_from": "시작", "valid_until": "종료", "issue_limit": "발급 수량 (0 = 제한 없음)",
    "downloadable": "구매자 다운로드 허용", "exclusive": "단독 사용 (다른 쿠폰과 함께 사용 불가)",
    "conflicts_with": "함께 쓸 수 없는 쿠폰", "eligible_products": "적용 상품 ID (쉼표로 구분)",
    "eligible_categories": "적용 카테고리 ID (쉼표로 구분)", "create_coupon": "쿠폰 만들기",
    "issued_n": "발급 {n}", "used_n": "사용 {n}", "issue": "발급", "issue_to_member": "회원에게 발급",
    "issue_to_all": "전체 회원에게 발급", "member_id": "회원 ID", "holders": "보유 회원",
    "AVAILABLE": "사용 가능", "LOCKED": "결제 중", "USED": "사용됨", "expired": "기간 만료",
    "issued_at": "발급일시", "used_at": "사용일시", "download": "다운로드", "downloaded": "받음",
    "downloadable_coupons": "다운로드 가능한 쿠폰", "no_coupons": "보유한 쿠폰이 없습니다.",
    "coupon_rules": "쿠폰·적립금 설정", "rule_auto_best": "주문서 최대 할인 자동 적용",
    "rule_points_min_balance": "적립금 사용 최소 보유액", "rule_points_unit": "적립금 사용 단위",
    "rule_points_max_share_percent": "적립금 최대 사용 비율(%)",
    "rule_points_rate_percent": "구매확정 적립률(%)", "rule_reward_coupon_id": "구매확정 보상 쿠폰",
    "ledger_at": "일시", "none": "없음", "save": "저장", "msg_saved": "저장되었습니다.",
    "msg_issued": "{n}명에게 발급했습니다.", "msg_coupon_created": "쿠폰을 만들었습니다.",
    "msg_downloaded": "쿠폰을 받았습니다.", "member_points": "회원 적립금 조회", "view": "조회",
    "all_lines": "전체 상품", "how_issue": "발급", "how_download": "다운로드", "how_reward": "보상",
    "coupon_taken": "다른 주문에서 사용 중인 쿠폰입니다. 다시 시도해 주세요.",
    "coupon_unavailable": "사용할 수 없는 쿠폰입니다.",
    "coupon_combination": "함께 사용할 수 없는 쿠폰 조합입니다.",
}
EN = {
    "coupons": "Coupons", "coupon": "Coupon", "my_coupons": "My coupons",
    "coupon_discount": "Coupon discount", "best_discount": "Best discount",
    "apply_best": "Apply the best", "apply_choice": "Apply", "no_coupon": "None",
    "best_applied": "Best discount applied: {n} off",
    "not_best": "{n} less than the best discount.", "product_coupon": "Product coupon",
    "order_coupon": "Order coupon", "shipping_coupon": "Shipping coupon",
    "product_coupon_off": "Product coupons", "order_coupon_off": "Order coupon",
    "shipping_coupon_off": "Shipping coupon", "points": "Points", "points_use": "Use points",
    "points_balance": "Balance", "points_max": "Up to {n}",
    "points_rules": "From a balance of {min}, in units of {unit}", "use_all_points": "Use all",
    "points_ledger": "Points history", "reason": "Reason", "delta": "Change",
    "balance": "Balance", "cumulative_purchase": "Cumulative purchases",
    "pr_purchase_confirmed": "Purchase confirmed", "pr_used": "Used on an order",
    "pr_use_cancelled": "Order not placed", "pr_order_cancelled": "Order cancelled",
    "pr_refund": "Refund", "coupon_kind_product": "Product", "coupon_kind_order": "Order",
    "coupon_kind_shipping": "Shipping", "coupon_name": "Name", "coupon_kind": "Kind",
    "coupon_value": "Discount", "coupon_fixed": "Fixed (KRW)", "coupon_percent": "Percent",
    "max_discount": "Max discount", "min_purchase": "Minimum purchase",
    "valid_period": "Valid", "valid_from": "From", "valid_until": "Until",
    "issue_limit": "Quantity (0 = unlimited)", "downloadable": "Buyers may download",
    "exclusive": "Exclusive (alone only)", "conflicts_with": "Not combinable with",
    "eligible_products": "Product ids (comma separated)",
    "eligible_categories": "Category ids (comma separated)", "create_coupon": "Create coupon",
    "issued_n": "Issued {n}", "used_n": "Used {n}", "issue": "Issue",
    "issue_to_member": "Issue to a member", "issue_to_all": "Issue to every member",
    "member_id": "Member id", "holders": "Holders", "AVAILABLE": "Available",
    "LOCKED": "In checkout", "USED": "Used", "expired": "Expired", "issued_at": "Issued",
    "used_at": "Used", "download": "Download", "downloaded": "Held",
    "downloadable_coupons": "Coupons to download", "no_coupons": "No coupons.",
    "coupon_rules": "Coupon and points settings", "rule_auto_best": "Apply the best discount",
    "rule_points_min_balance": "Minimum balance to spend", "rule_points_unit": "Spending unit",
    "rule_points_max_share_percent": "Max share of the order (%)",
    "rule_points_rate_percent": "Purchase points (%)", "rule_reward_coupon_id": "Reward coupon",
    "ledger_at": "When", "none": "None", "save": "Save", "msg_saved": "Saved.", "msg_issued": "Issued to {n}.",
    "msg_coupon_created": "Coupon created.", "msg_downloaded": "Coupon downloaded.",
    "member_points": "Member points", "view": "View", "all_lines": "All items",
    "how_issue": "Issued", "how_download": "Downloaded", "how_reward": "Reward",
}
ERRORS = [
    (r"^coupon (\S+) is being used on another order$",
     "다른 주문에서 사용 중인 쿠폰입니다. 다시 시도해 주세요."),
    (r"^coupon (\S+) is not usable on this order$", "이 주문에 사용할 수 없는 쿠폰입니다."),
    (r"^these coupons cannot be used together on this order$",
     "이 주문에 함께 사용할 수 없는 쿠폰 조합입니다."),
    (r"^points are spent in multiples of (\S+)$", "적립금은 {0}원 단위로 사용할 수 있습니다."),
    (r"^points can be spent from a balance of (\S+)$",
     "적립금은 {0}원 이상 보유 시 사용할 수 있습니다."),
    (r"^only (\S+) points are available$", "사용 가능한 적립금은 {0}원입니다."),
    (r"^points may cover at most (\d+)% of the amount to pay$",
     "적립금은 결제금액의 {0}%까지 사용할 수 있습니다."),
    (r"^you already hold coupon (\S+)$", "이미 받은 쿠폰입니다."),
    (r"^coupon (\S+) is all given out$", "쿠폰이 모두 소진되었습니다."),
    (r"^member (\S+) does not exist$", "회원 {0}이(가) 없습니다."),
]


def install() -> None:
    for table, mine in ((MESSAGES["ko"], KO), (MESSAGES.setdefault("en", {}), EN)):
        for key, text in mine.items():
            table.setdefault(key, text)
    known = {p.pattern for p, _ in ERRORS_KO}
    ERRORS_KO.extend((re.compile(p), m) for p, m in ERRORS if p not in known)


install()
