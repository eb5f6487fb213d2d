"""Contract types and subtypes, and how a rule set counts them (pure)."""

from __future__ import annotations

from app.core.enums import ContractRuleSet, ContractSubtype, ContractType

SUBTYPES: dict[ContractType, frozenset[ContractSubtype]] = {
    ContractType.DEVELOPMENT: frozenset(
        {ContractSubtype.COMMISSIONED_DEVELOPMENT, ContractSubtype.COOPERATIVE_DEVELOPMENT}
    ),
    ContractType.TRANSFER: frozenset(
        {
            ContractSubtype.PATENT_TRANSFER,
            ContractSubtype.PATENT_APPLICATION_TRANSFER,
            ContractSubtype.TECHNICAL_SECRET_TRANSFER,
        }
    ),
    ContractType.LICENSE: frozenset(
        {ContractSubtype.PATENT_LICENSE, ContractSubtype.TECHNICAL_SECRET_LICENSE}
    ),
    ContractType.CONSULTING: frozenset({ContractSubtype.CONSULTING}),
    ContractType.SERVICE: frozenset(
        {ContractSubtype.SERVICE, ContractSubtype.TRAINING, ContractSubtype.INTERMEDIARY}
    ),
}


def subtype_fits(contract_type: ContractType, subtype: ContractSubtype) -> bool:
    return subtype in SUBTYPES[contract_type]


def counted_type(rule_set: ContractRuleSet, contract_type: ContractType) -> ContractType:
    """The type a registration is counted under: the 2001 rules had four types, with licensing
    (许可) inside transfer (转让); the Civil Code's five are counted as they are."""
    if rule_set == ContractRuleSet.RULES_2001 and contract_type == ContractType.LICENSE:
        return ContractType.TRANSFER
    return contract_type


def is_transfer(rule_set: ContractRuleSet, contract_type: ContractType) -> bool:
    """Whether the form asks for the expected new investment and output (transfers, as counted)."""
    return counted_type(rule_set, contract_type) in (ContractType.TRANSFER, ContractType.LICENSE)
