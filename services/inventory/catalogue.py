"""Option and SKU rules (pure).

- Combination-type required options (조합형 필수 옵션, e.g. colour x size): every combination of
  their values is one SKU, with its own price delta, stock and sold-out switch.
- Independent options (비조합형 옵션, e.g. gift wrap, engraving text) never carry stock.
- A SKU keeps its id for as long as its combination exists; a combination that leaves the
  product deactivates its SKU (history and counters stay), it is never deleted.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, field

from kit.errors import InvalidInput, NotFound

MAX_COMBINATION_OPTIONS = 3
MAX_SKUS = 500
MAX_SKU_ID = 64
PLAIN_OPTION = "옵션"  # the one combination option of products sent as a plain list of SKUs
SINGLE_LABEL = "단일 상품"  # the only SKU of a product without combination options
_CODE = re.compile(r"^[A-Z0-9]{1,12}$")


class CatalogueError(InvalidInput):
    """A product that breaks an option rule (400); nothing was saved."""


@dataclass(frozen=True)
class OptionValue:
    value: str
    code: str


@dataclass(frozen=True)
class CombinationOption:
    name: str
    values: tuple[OptionValue, ...]


@dataclass(frozen=True)
class IndependentOption:
    name: str
    kind: str = "SELECT"  # SELECT: the buyer picks a value; TEXT: the buyer types (engraving)
    values: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class StockSetting:
    """Stock kept on an independent option's value (only ever imported from an older system)."""

    option: str
    value: str
    stock: int


@dataclass(frozen=True)
class SkuOverride:
    """What the seller set for one combination in the grid (all optional)."""

    sku_id: str = ""
    price_delta: int = 0
    stock: int | None = None
    stock_seen: int | None = None
    sold_out: bool = False


@dataclass(frozen=True)
class SkuSpec:
    """One SKU of the grid: its combination, id, label and the seller's settings."""

    sku_id: str
    options: tuple[tuple[str, str], ...]
    label: str
    position: int
    override: SkuOverride = field(default_factory=SkuOverride)

    @property
    def options_map(self) -> dict[str, str]:
        return dict(self.options)


@dataclass(frozen=True)
class ExistingSku:
    sku_id: str
    options: tuple[tuple[str, str], ...]
    active: bool = True


def value_code(value: str) -> str:
    """A short code for an option value, used in generated SKU ids: the value itself when it is
    plain ASCII (`M`, `XL`, `240`), else a stable hash of it (`블랙` -> `V` + 5 hex digits)."""
    plain = value.strip().upper().replace(" ", "")
    if _CODE.match(plain):
        return plain
    return "V" + hashlib.sha1(value.strip().encode()).hexdigest()[:5].upper()


def sku_id_for(product_id: str, codes: tuple[str, ...]) -> str:
    if not codes:
        return product_id
    sku_id = "-".join((product_id, *codes))
    if len(sku_id) <= MAX_SKU_ID:
        return sku_id
    digest = hashlib.sha1("-".join(codes).encode()).hexdigest()[:10].upper()
    return f"{product_id[:MAX_SKU_ID - 11]}-{digest}"


def label_for(values: tuple[str, ...]) -> str:
    return " / ".join(values) if values else SINGLE_LABEL


def check_options(combination: list[CombinationOption], independent: list[IndependentOption],
                  independent_stock: list[StockSetting]) -> None:
    """Refuse option sets that break a rule, with a message that says which and why."""
    if independent_stock:
        s = independent_stock[0]
        raise CatalogueError(
            "stock_on_independent_option",
            "option {option} is an independent option: independent options never carry "
            "stock; make it a combination option to keep stock per value", option=s.option)
    if len(combination) > MAX_COMBINATION_OPTIONS:
        raise CatalogueError("too_many_options", "at most {max} combination options",
                             max=MAX_COMBINATION_OPTIONS)
    names = [o.name.strip() for o in combination] + [o.name.strip() for o in independent]
    if any(not n for n in names):
        raise CatalogueError("option_name_required", "every option needs a name")
    dup = _first_duplicate(names)
    if dup:
        raise CatalogueError("duplicate_option", "option name {name} is used twice", name=dup)
    for opt in combination:
        if not opt.values:
            raise CatalogueError("option_values_required",
                                 "combination option {option} needs at least one value",
                                 key="combination_option_values_required", option=opt.name)
        dup = _first_duplicate([v.value.strip() for v in opt.values])
        if dup:
            raise CatalogueError("duplicate_option_value", "option {option} lists {value} twice",
                                 option=opt.name, value=dup)
        if any(not v.value.strip() for v in opt.values):
            raise CatalogueError("option_values_required", "option {option} has an empty value",
                                 key="option_value_empty", option=opt.name)
        dup = _first_duplicate([v.code for v in opt.values])
        if dup:
            raise CatalogueError("duplicate_option_code",
                                 "option {option}: two values share the code {value_code}",
                                 option=opt.name, value_code=dup)
        bad = next((v.code for v in opt.values if not _CODE.match(v.code)), None)
        if bad is not None:
            raise CatalogueError("invalid_option_code",
                                 "option {option}: code {value_code} must be 1-12 letters A-Z or "
                                 "digits", option=opt.name, value_code=bad)
    for ind in independent:
        if ind.kind not in ("SELECT", "TEXT"):
            raise CatalogueError("invalid_option_kind", "option {option}: kind SELECT or TEXT",
                                 option=ind.name)
        if ind.kind == "SELECT" and not ind.values:
            raise CatalogueError("option_values_required",
                                 "independent option {option} needs values (or kind TEXT)",
                                 key="independent_option_values_required", option=ind.name)
        dup = _first_duplicate([v.strip() for v in ind.values])
        if dup:
            raise CatalogueError("duplicate_option_value", "option {option} lists {value} twice",
                                 option=ind.name, value=dup)
    count = 1
    for opt in combination:
        count *= len(opt.values)
    if count > MAX_SKUS:
        raise CatalogueError("too_many_skus",
                             "{count} combinations: at most {max} SKUs per product",
                             count=count, max=MAX_SKUS)


def grid(product_id: str, combination: list[CombinationOption],
         overrides: dict[tuple[str, ...], SkuOverride]) -> list[SkuSpec]:
    """Every combination, in option order, as a SKU spec (`overrides` keyed by the values)."""
    specs = []
    names = tuple(o.name for o in combination)
    for position, combo in enumerate(itertools.product(*(o.values for o in combination))):
        values = tuple(v.value for v in combo)
        override = overrides.get(values, SkuOverride())
        sku_id = override.sku_id or sku_id_for(product_id, tuple(v.code for v in combo))
        specs.append(SkuSpec(sku_id, tuple(zip(names, values, strict=True)), label_for(values),
                             position, override))
    dup = _first_duplicate([s.sku_id for s in specs])
    if dup:
        raise CatalogueError("duplicate_sku", "SKU id {sku_id} is used by two combinations",
                             key="catalogue_duplicate_sku", sku_id=dup)
    return specs


def match(specs: list[SkuSpec], existing: list[ExistingSku]) \
        -> tuple[list[tuple[SkuSpec, ExistingSku | None]], list[ExistingSku]]:
    """Pair each spec with the existing SKU of the same combination (else the same id); the
    existing SKUs left over are the ones to deactivate."""
    by_options = {e.options: e for e in existing}
    by_id = {e.sku_id: e for e in existing}
    pairs: list[tuple[SkuSpec, ExistingSku | None]] = []
    used: set[str] = set()
    for spec in specs:
        found = by_options.get(spec.options)
        if found is None or found.sku_id in used:
            found = by_id.get(spec.sku_id)
        if found is not None and found.sku_id in used:
            found = None
        if found is not None:
            used.add(found.sku_id)
            spec = SkuSpec(found.sku_id, spec.options, spec.label, spec.position, spec.override)
        pairs.append((spec, found))
    gone = [e for e in existing if e.sku_id not in used and e.active]
    return pairs, gone


def convert_option(combination: list[CombinationOption], independent: list[IndependentOption],
                   name: str) -> tuple[list[CombinationOption], list[IndependentOption]]:
    """Turn independent option `name` (with values) into a combination option."""
    found = next((o for o in independent if o.name == name), None)
    if found is None:
        raise NotFound("independent option", name)
    if found.kind != "SELECT" or not found.values:
        raise CatalogueError("not_convertible",
                             "option {option} has no values to make SKUs of (kind {kind})",
                             option=name, kind=found.kind)
    values = _coded(list(found.values))
    rest = [o for o in independent if o.name != name]
    return [*combination, CombinationOption(name, values)], rest


def _coded(values: list[str]) -> tuple[OptionValue, ...]:
    """Values with their default codes; a clash of hashed codes gets a numeric suffix."""
    out: list[OptionValue] = []
    seen: set[str] = set()
    for v in values:
        code = value_code(v)
        n = 2
        while code in seen:
            code = f"{value_code(v)[:10]}{n}"
            n += 1
        seen.add(code)
        out.append(OptionValue(v.strip(), code))
    return tuple(out)


def coded_values(values: list[tuple[str, str]]) -> tuple[OptionValue, ...]:
    """(value, code) pairs where an empty code takes the default one."""
    defaults = {v.value: v.code for v in _coded([v for v, c in values if not c.strip()])}
    return tuple(OptionValue(v.strip(), c.strip().upper() or defaults[v.strip()])
                 for v, c in values)


def _first_duplicate(items: list[str]) -> str | None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return None
