from kit.settings import ServiceSettings


class ClaimsSettings(ServiceSettings):
    http_port: int = 8103
    # Defaults of the shop's claim settings (the seller changes them through PUT /settings).
    cancel_preparing_requires_approval: bool = False
    return_fee_one_way: int = 3000
    return_fee_round_trip: int = 6000
