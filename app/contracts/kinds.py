"""Contract types and subtypes, and how a rule set counts them (pure)."""

from __future__ import annotations

from app.core.enums import ContractRuleSet, ContractSubtype, ContractType, LegalPersonType, PartyKind

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


_PARTY_KINDS = {
    LegalPersonType.RESEARCH_INSTITUTION: PartyKind.RESEARCH_INSTITUTE,
    LegalPersonType.HIGHER_EDUCATION: PartyKind.UNIVERSITY,
    LegalPersonType.DOMESTIC_ENTERPRISE: PartyKind.ENTERPRISE,
    LegalPersonType.HK_MACAO_TAIWAN: PartyKind.ENTERPRISE,
    LegalPersonType.FOREIGN_INVESTED: PartyKind.ENTERPRISE,
}


def party_kind(legal_person_type: LegalPersonType) -> PartyKind:
    """A party's type as the statistics count it, from its legal-person type code."""
    return _PARTY_KINDS.get(legal_person_type, PartyKind.OTHER)


_ACADEMIC = frozenset({PartyKind.UNIVERSITY, PartyKind.RESEARCH_INSTITUTE})


def is_industry_academia(seller: PartyKind, buyer: PartyKind) -> bool:
    """产学研: an enterprise with a university or a research institute, whichever side sells."""
    return (seller == PartyKind.ENTERPRISE and buyer in _ACADEMIC) or (
        buyer == PartyKind.ENTERPRISE and seller in _ACADEMIC
    )
