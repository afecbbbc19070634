"""Message ids the code builds at run time (`_(o.status)`, `"cl_" + kind`, a service's
error key), listed so `make i18n` (pybabel extract) finds them: an id used only here is
still an id of the catalogs. tests/unit/test_i18n.py fails on an id here without a Korean
text, and on a refusal key a service raises that is missing here."""

from __future__ import annotations


def N_(msgid: str) -> str:  # noqa: N802  (gettext_noop: marks an id, translates nothing)
    return msgid


# Enum values (statuses, payment methods, channels, claim states, ...)
ENUMS = [
    N_("ALL"), N_("APPROVED"), N_("AVAILABLE"), N_("COLLECTED"), N_("COMPLETED"), N_("CONFIRMED"),
    N_("DELIVERED"), N_("EXCHANGED"), N_("LOCKED"), N_("NAVERPAY"), N_("PAID"),
    N_("PAYMENT_PENDING"), N_("PENDING"), N_("PREPARING"), N_("READY_TO_SHIP"), N_("REFUNDED"),
    N_("REFUNDING"), N_("REFUND_FAILED"), N_("REJECTED"), N_("REQUESTED"), N_("RESHIPPED"),
    N_("RETURNED"), N_("SELLER"), N_("SHIPPING"), N_("STOREFRONT"), N_("TALKCHECKOUT"),
    N_("UNSELECTED"), N_("USED"),
]
# Names of the default order tabs, which the orders service stores in Korean
DEFAULT_TABS = [
    N_("결제대기"), N_("교환"), N_("구매확정"), N_("반품"), N_("배송대기"), N_("배송완료"), N_("배송중"), N_("상품준비"),
    N_("전체"), N_("취소"),
]
ACT = [
    N_("act_claim_opened"), N_("act_claim_refused"), N_("act_claim_state"),
    N_("act_invoice_changed"), N_("act_note"), N_("act_paid"), N_("act_payment_refunded"), N_("act_payment_refused"), N_("act_placed"),
    N_("act_points_earned"), N_("act_replacement_shipped"), N_("act_section_split"),
    N_("act_section_status"), N_("act_sections_merged"), N_("act_stock_reserved"),
]
ACTOR = [
    N_("actor_buyer"), N_("actor_partner"), N_("actor_seller"), N_("actor_system"),
]
ALL = [
    N_("all_lines"),
]
AT = [
    N_("at_order"), N_("at_section"),
]
BACK = [
    N_("back_to_list"),
]
BULK = [
    N_("bulk_CANCEL"), N_("bulk_CONFIRM_DEPOSIT"), N_("bulk_DELIVER"), N_("bulk_MERGE_AND_SHIP"),
    N_("bulk_READY_TO_SHIP"),
]
CL = [
    N_("cl_CANCEL"), N_("cl_CANCEL_APPROVED"), N_("cl_CANCEL_COLLECTED"),
    N_("cl_CANCEL_COMPLETED"), N_("cl_CANCEL_REFUNDING"), N_("cl_CANCEL_REFUND_FAILED"),
    N_("cl_CANCEL_REJECTED"), N_("cl_CANCEL_REQUESTED"), N_("cl_CANCEL_RESHIPPED"),
    N_("cl_EXCHANGE"), N_("cl_EXCHANGE_APPROVED"), N_("cl_EXCHANGE_COLLECTED"),
    N_("cl_EXCHANGE_COMPLETED"), N_("cl_EXCHANGE_REFUNDING"), N_("cl_EXCHANGE_REFUND_FAILED"),
    N_("cl_EXCHANGE_REJECTED"), N_("cl_EXCHANGE_REQUESTED"), N_("cl_EXCHANGE_RESHIPPED"),
    N_("cl_RETURN"), N_("cl_RETURN_APPROVED"), N_("cl_RETURN_COLLECTED"),
    N_("cl_RETURN_COMPLETED"), N_("cl_RETURN_REFUNDING"), N_("cl_RETURN_REFUND_FAILED"),
    N_("cl_RETURN_REJECTED"), N_("cl_RETURN_REQUESTED"), N_("cl_RETURN_RESHIPPED"),
    N_("cl_buyer_view"), N_("cl_claim"), N_("cl_claimable"), N_("cl_complete_EXCHANGE"),
    N_("cl_complete_RETURN"), N_("cl_confirm_first"), N_("cl_go"), N_("cl_h_due_paid"),
    N_("cl_h_hold"), N_("cl_h_opened"), N_("cl_h_release"), N_("cl_h_state"),
    N_("cl_h_units_moved"), N_("cl_intro_CANCEL"), N_("cl_intro_EXCHANGE"), N_("cl_intro_RETURN"),
    N_("cl_not_claimable"), N_("cl_order_detail"), N_("cl_price_diff"),
    N_("cl_reason_CHANGE_OF_MIND"), N_("cl_reason_DEFECT"), N_("cl_reason_DELAYED"),
    N_("cl_reason_OTHER"), N_("cl_reason_WRONG_ITEM"), N_("cl_request_CANCEL"),
    N_("cl_request_EXCHANGE"), N_("cl_request_RETURN"), N_("cl_rf_MANUAL"), N_("cl_rf_SUCCEEDED"),
    N_("cl_state_APPROVED"), N_("cl_state_COLLECTED"), N_("cl_state_COMPLETED"),
    N_("cl_state_REFUNDING"), N_("cl_state_REFUND_FAILED"), N_("cl_state_REQUESTED"),
    N_("cl_state_RESHIPPED"), N_("cl_step_done"), N_("cl_steps"), N_("cl_who_buyer"),
    N_("cl_who_partner"), N_("cl_who_seller"), N_("cl_who_system"), N_("cl_why_confirmed"),
    N_("cl_why_cancelled"), N_("cl_why_exchanged"), N_("cl_why_in_claim"), N_("cl_why_not_shipped"),
    N_("cl_why_returned"), N_("cl_why_shipped"),
]
CLAIM = [
    N_("claim_CANCEL"), N_("claim_EXCHANGE"), N_("claim_RETURN"),
]
COL = [
    N_("col_address"), N_("col_amount"), N_("col_buyer"), N_("col_channel"), N_("col_invoice"),
    N_("col_items"), N_("col_memo"), N_("col_order_no"), N_("col_payment_method"),
    N_("col_payment_status"), N_("col_phone"), N_("col_placed_at"), N_("col_quantity"),
    N_("col_recipient"), N_("col_status"),
]
COUPON = [
    N_("coupon"),
]
DISPLAY = [
    N_("display"),
]
FIELD = [
    N_("field_action"), N_("field_address1"), N_("field_carrier"), N_("field_invoice_no"),
    N_("field_name"), N_("field_order_no"), N_("field_phone"), N_("field_section_id"),
    N_("field_ship_to.address1"), N_("field_ship_to.name"), N_("field_zipcode"),
]
HOW = [
    N_("how_download"), N_("how_issue"), N_("how_reward"),
]
INVOICE = [
    N_("invoice"),
]
KIND = [
    N_("kind_adjust"), N_("kind_initial"), N_("kind_release"), N_("kind_reserve"),
    N_("kind_restock"), N_("kind_sold"),
]
MSG = [
    N_("msg_deposit_done"), N_("msg_invoice_changed"), N_("msg_job_created"),
    N_("msg_merge_done"), N_("msg_refund_recorded"), N_("msg_split_done"),
]
ORDERS = [
    N_("orders_of_tab"),
]
PLACE = [
    N_("place_order"),
]
PR = [
    N_("pr_lock_expired"), N_("pr_order_cancelled"), N_("pr_purchase_confirmed"), N_("pr_refund"),
    N_("pr_use_cancelled"), N_("pr_used"),
]
PRICE = [
    N_("price"),
]
REASON = [
    N_("reason_COUNT"), N_("reason_DAMAGED"), N_("reason_OTHER"), N_("reason_RECEIVED"),
    N_("reason_RETURNED"),
]
ROW = [
    N_("row_bad_invoice"), N_("row_bad_order"), N_("row_duplicate"), N_("row_no_carrier"),
    N_("row_no_invoice"), N_("row_no_order"), N_("row_section_mismatch"), N_("row_unknown_action"),
    N_("row_unknown_carrier"),
]
RULE = [
    N_("rule_points_max_share_percent"), N_("rule_points_min_balance"),
    N_("rule_points_rate_percent"), N_("rule_points_unit"),
]
SELECT = [
    N_("select_option"),
]
SELLER = [
    N_("seller_login"),
]
SORT = [
    N_("sort_amount_asc"), N_("sort_amount_desc"), N_("sort_order_no_asc"),
    N_("sort_order_no_desc"), N_("sort_placed_at_asc"), N_("sort_placed_at_desc"),
]
SOURCE = [
    N_("source_all"), N_("source_selected"), N_("source_upload"),
]
UPLOAD = [
    N_("upload_to_READY_TO_SHIP"), N_("upload_to_SHIP"),
]
USE = [
    N_("use_all_points"),
]
WON = [
    N_("won"),
]
# Refusals, by key or code (services answer them; see kit/errors.py and i18n.Translator.error)
REFUSALS = [
    N_("err_account_required"), N_("err_action"), N_("err_already_paid"),
    N_("err_already_refunded"), N_("err_amount_mismatch"), N_("err_bad_credentials"),
    N_("err_bad_csv"), N_("err_bad_date"), N_("err_bad_file"), N_("err_bad_file_type"),
    N_("err_bad_format"), N_("err_bad_id"), N_("err_bad_request"), N_("err_bad_signature"),
    N_("err_bad_xlsx"), N_("err_batch_conflict"), N_("err_bulk_job_not_found"),
    N_("err_catalogue_duplicate_sku"), N_("err_claim_account_required"),
    N_("err_claim_already_on_hold"), N_("err_claim_already_paid"), N_("err_claim_bad_quantity"),
    N_("err_claim_cannot"), N_("err_claim_conflict"), N_("err_claim_hold_reason_required"),
    N_("err_claim_invoice_required"), N_("err_claim_kind_cannot"),
    N_("err_claim_line_not_in_order"), N_("err_claim_line_not_in_section"),
    N_("err_claim_mixed_statuses"), N_("err_claim_more_than_claimable"), N_("err_claim_no_items"),
    N_("err_claim_not_found"), N_("err_claim_not_on_hold"), N_("err_claim_not_possible"),
    N_("err_claim_on_hold"), N_("err_claim_order_cancelled"), N_("err_claim_order_conflict"),
    N_("err_claim_other_product"), N_("err_claim_over_refund"), N_("err_claim_payment_due"),
    N_("err_claim_reason_required"), N_("err_claim_reject_reason_required"),
    N_("err_claim_section_under_claim"), N_("err_claim_stale"), N_("err_claim_too_many_units"),
    N_("err_claim_units_pending"), N_("err_claim_units_under_claim"),
    N_("err_claim_unknown_action"), N_("err_claim_whole_order_only"),
    N_("err_combination_option_values_required"), N_("err_conflict"),
    N_("err_conflicting_coupon_missing"), N_("err_convert_units_reserved"),
    N_("err_coupon_already_held"), N_("err_coupon_combination"), N_("err_coupon_expired"),
    N_("err_coupon_line"), N_("err_coupon_not_downloadable"), N_("err_coupon_not_found"),
    N_("err_coupon_sold_out"), N_("err_coupon_taken"), N_("err_coupon_unavailable"),
    N_("err_coupon_wrong_place"), N_("err_cross_site_request"), N_("err_csrf_failed"),
    N_("err_csv_encoding"), N_("err_cursor"), N_("err_date_range"), N_("err_discount"),
    N_("err_duplicate_option"), N_("err_duplicate_option_code"), N_("err_duplicate_option_value"),
    N_("err_duplicate_sku"), N_("err_empty_file"), N_("err_empty_selection"), N_("err_error"),
    N_("err_field_invalid"), N_("err_field_pattern"), N_("err_field_required"),
    N_("err_field_too_long"), N_("err_file_too_large"), N_("err_forbidden"),
    N_("err_guest_password"), N_("err_guest_required"), N_("err_independent_option_not_found"),
    N_("err_independent_option_values_required"), N_("err_internal_error"), N_("err_invalid_id"),
    N_("err_invalid_input"), N_("err_invalid_json"), N_("err_invalid_option_code"),
    N_("err_invalid_option_kind"), N_("err_invalid_transition"), N_("err_invoice_bad_number"),
    N_("err_invoice_both"), N_("err_invoice_change_not_shipping"),
    N_("err_invoice_required"), N_("err_invoice_unchanged"),
    N_("err_invoice_unknown_carrier"), N_("err_lock_committed"), N_("err_lock_exists"),
    N_("err_lock_not_found"), N_("err_member_not_found"), N_("err_merge_needs_two"),
    N_("err_merge_same_status"), N_("err_method_not_allowed"), N_("err_mixed_status"),
    N_("err_negative_price"), N_("err_no_fitting_section"), N_("err_no_guest_order"),
    N_("err_no_header"), N_("err_no_items"), N_("err_no_lines"), N_("err_no_members"),
    N_("err_not_bank_transfer"), N_("err_not_claimable_cancelled"),
    N_("err_not_claimable_confirmed"), N_("err_not_claimable_exchanged"),
    N_("err_not_claimable_not_shipped"), N_("err_not_claimable_returned"),
    N_("err_not_claimable_shipped"), N_("err_not_convertible"), N_("err_not_found"),
    N_("err_not_payable"), N_("err_nothing_to_adjust"), N_("err_nothing_to_confirm"),
    N_("err_nothing_to_merge"), N_("err_option_name_required"), N_("err_option_value_empty"),
    N_("err_order_cancelled"), N_("err_order_conflict"), N_("err_order_not_found"),
    N_("err_order_stale"), N_("err_out_of_stock"), N_("err_out_of_stock_reason"),
    N_("err_paid_cancel_by_claim"), N_("err_payment_method"), N_("err_pg_unavailable"),
    N_("err_points"), N_("err_points_min_balance"), N_("err_points_not_enough"),
    N_("err_points_over_balance"), N_("err_points_share"), N_("err_points_unit"),
    N_("err_points_unknown_order"), N_("err_product_discount"), N_("err_product_id_mismatch"),
    N_("err_product_not_found"), N_("err_refund_payment_not_found"),
    N_("err_reservation_not_found"), N_("err_reward_coupon_missing"),
    N_("err_section_cannot_move"), N_("err_section_in_claim"), N_("err_section_not_found"),
    N_("err_section_not_in_order"), N_("err_section_under_claim"), N_("err_sections_not_in_order"),
    N_("err_seller_cannot_order"), N_("err_seller_only"), N_("err_sheet_columns"),
    N_("err_sheet_too_large"), N_("err_sheet_too_many_rows"), N_("err_sheet_unpacks_too_large"),
    N_("err_shipping_discount"), N_("err_shipping_fee_changed"), N_("err_sku_not_found"),
    N_("err_sku_options"), N_("err_sku_taken"), N_("err_split_everything"),
    N_("err_split_needs_preparing"), N_("err_split_too_many_units"), N_("err_stock_changed"),
    N_("err_stock_invalid_quantity"), N_("err_stock_moved"), N_("err_stock_negative"),
    N_("err_stock_on_independent_option"), N_("err_stock_setting_of_option_not_found"),
    N_("err_stock_short"), N_("err_stock_sold_out"), N_("err_tab_not_found"), N_("err_too_large"),
    N_("err_too_many_attempts"), N_("err_too_many_options"), N_("err_too_many_skus"),
    N_("err_unavailable"), N_("err_unknown_item"), N_("err_unknown_member"), N_("err_unknown_sku"),
    N_("err_upload_not_found"), N_("err_upstream_error"), N_("err_webhook_bad_payload"),
]
# The Naver Pay sync panel: task kinds and states (partner_tasks.py)
NAVERPAY = [
    N_("np_task_dispatch"), N_("np_state_PENDING"), N_("np_state_DONE"), N_("np_state_DEAD"),
    N_("err_partner_ships_whole_lines"), N_("err_partner_unavailable"),
    N_("err_partner_order_not_found"), N_("err_partner_task_not_found"),
    N_("np_task_claim"), N_("np_task_claim-refund"), N_("np_task_confirm"),
    N_("err_claim_partner_hold_code"), N_("err_claim_partner_no_cancel_hold"),
    N_("err_claim_partner_no_cancel_reject"), N_("err_claim_partner_no_exchange"),
    N_("err_partner_claim_early"), N_("err_partner_not_found"), N_("err_partner_disabled"), N_("err_partner_claim_not_found"),
    N_("cl_partner_no_reject"), N_("cl_partner_claim"), N_("hold_code"),
]
# Carrier tracking (배송조회): tracker.delivery's TrackEventStatusCode (integrations/tracking.py)
TRACKING = [
    N_("trk_UNKNOWN"), N_("trk_INFORMATION_RECEIVED"), N_("trk_AT_PICKUP"), N_("trk_IN_TRANSIT"),
    N_("trk_OUT_FOR_DELIVERY"), N_("trk_ATTEMPT_FAIL"), N_("trk_DELIVERED"),
    N_("trk_AVAILABLE_FOR_PICKUP"), N_("trk_EXCEPTION"),
]
# The partner's hold reason classes (contracts.claims.v1 RETURN_HOLD_CODES, EXCHANGE_HOLD_CODES)
HOLD_CODES = [
    N_("RETURN_DELIVERYFEE"), N_("EXTRAFEEE"), N_("RETURN_DELIVERYFEE_AND_EXTRAFEEE"),
    N_("RETURN_PRODUCT_NOT_DELIVERED"), N_("ETC"), N_("EXCHANGE_DELIVERYFEE"),
    N_("EXCHANGE_EXTRAFEE"), N_("EXCHANGE_PRODUCT_READY"), N_("EXCHANGE_PRODUCT_NOT_DELIVERED"),
    N_("EXCHANGE_HOLDBACK"),
]
# 연동 현황: the partner calls by name (channel_claims.py PATH calls)
SYNC = [
    N_("sync_call_cancel/request"),
    N_("sync_call_cancel/approve"),
    N_("sync_call_return/request"),
    N_("sync_call_return/approve"),
    N_("sync_call_return/reject"),
    N_("sync_call_return/holdback"),
    N_("sync_call_return/holdback/release"),
    N_("sync_call_exchange/reject"),
    N_("sync_call_exchange/holdback"),
    N_("sync_call_exchange/holdback/release"),
    N_("sync_call_exchange/collect/approve"),
    N_("sync_call_exchange/dispatch"),
    N_("np_state_CANCELLED"),
    N_("sync_msg_retry"),
    N_("sync_msg_cancel"),
    N_("err_partner_task_finished"),
    N_("err_partner_task_moved"),
]
# PayPal (integrations/paypal.py): its task kinds, the waiting state, the settings' environments
PAYPAL = [
    N_("PAYPAL"), N_("np_task_track"), N_("np_task_refund"), N_("np_state_WAITING"),
    N_("pp_env_live"), N_("pp_env_sandbox"), N_("err_paypal_secret_required"),
    N_("err_bad_signature"), N_("err_paypal_order_not_found"),
    N_("err_paypal_payment_not_found"), N_("err_paypal_amount_too_small"),
]
