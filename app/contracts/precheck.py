"""What a registrar would raise about a contract before it is submitted (pure): each finding names
the refusal ground it falls under (RefusalGround), a stable code, the field, and says why in words.

These are warnings, not refusals: a registrar reads the contract itself. They catch what is cheap to
see from the form: proofs not attached, a title naming another type of contract, a price or royalty
left unclear, and clauses that may restrict technology (key phrases a deployment configures).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.enums import AttachmentKind, ContractType, IpForm, RefusalGround
from app.core.i18n import Message, msg

# Words a contract's title uses for its type (合同名称应与内容一致).
TITLE_WORDS: dict[ContractType, tuple[str, ...]] = {
    ContractType.DEVELOPMENT: ("开发", "研发", "研制", "研究"),
    ContractType.TRANSFER: ("转让",),
    ContractType.LICENSE: ("许可", "实施"),
    ContractType.CONSULTING: ("咨询", "论证", "评估", "可行性"),
    ContractType.SERVICE: ("服务", "培训", "中介", "检测", "测试", "分析", "设计"),
}
# Royalties (提成) need a base and a rate: a figure or a percentage in the terms.
_ROYALTY_WORDS = ("提成", "销售额", "利润")
_PROTECTED_IP = frozenset(
    {
        IpForm.INVENTION_PATENT,
        IpForm.UTILITY_MODEL,
        IpForm.DESIGN_PATENT,
        IpForm.SOFTWARE_COPYRIGHT,
        IpForm.IC_LAYOUT,
        IpForm.PLANT_VARIETY,
    }
)
_IP_TYPES = frozenset({ContractType.TRANSFER, ContractType.LICENSE})


@dataclass(frozen=True, slots=True)
class PrecheckInput:
    contract_type: ContractType
    project_name: str
    ip_type: IpForm
    content_summary: str
    price_terms: str
    total_fen: int
    payment_amounts: Sequence[int]
    attachment_kinds: Sequence[AttachmentKind]


@dataclass(frozen=True, slots=True)
class PrecheckFinding:
    ground: RefusalGround
    code: str
    field: str | None
    message: Message


def findings(contract: PrecheckInput, restrictive_phrases: Sequence[str]) -> list[PrecheckFinding]:
    return [
        *_proofs(contract),
        *_title(contract),
        *_price(contract),
        *_restrictive(contract, restrictive_phrases),
    ]


def _proofs(contract: PrecheckInput) -> list[PrecheckFinding]:
    found = []
    if AttachmentKind.CONTRACT_TEXT not in contract.attachment_kinds:
        found.append(
            PrecheckFinding(
                RefusalGround.MISSING_PROOFS,
                "contract_text_missing",
                "attachments",
                msg("The signed contract text is not attached"),
            )
        )
    needs_ip_proof = contract.contract_type in _IP_TYPES and contract.ip_type in _PROTECTED_IP
    if needs_ip_proof and AttachmentKind.IP_PROOF not in contract.attachment_kinds:
        found.append(
            PrecheckFinding(
                RefusalGround.MISSING_PROOFS,
                "ip_proof_missing",
                "attachments",
                msg("A transfer or licence of a registered right needs its certificate attached"),
            )
        )
    return found


def _title(contract: PrecheckInput) -> list[PrecheckFinding]:
    """A title that names another type of contract and not its own."""
    name = contract.project_name
    if any(word in name for word in TITLE_WORDS[contract.contract_type]):
        return []
    others = [
        kind
        for kind, words in TITLE_WORDS.items()
        if kind != contract.contract_type and any(w in name for w in words)
    ]
    if not others:
        return []
    return [
        PrecheckFinding(
            RefusalGround.TITLE_MISMATCH,
            "title_not_of_type",
            "project_name",
            msg(
                "The title reads as a {named} contract, but the contract is filed as {filed}",
                named=others[0],
                filed=contract.contract_type,
            ),
        )
    ]


def _price(contract: PrecheckInput) -> list[PrecheckFinding]:
    found = []
    terms = contract.price_terms.strip()
    if not terms:
        found.append(
            PrecheckFinding(
                RefusalGround.UNCLEAR_TERMS,
                "price_terms_missing",
                "price_terms",
                msg("The price, remuneration or royalty and how it is paid are not stated"),
            )
        )
    elif any(word in terms for word in _ROYALTY_WORDS) and not any(
        ch.isdigit() or ch in "%％" for ch in terms
    ):
        found.append(
            PrecheckFinding(
                RefusalGround.UNCLEAR_TERMS,
                "royalty_unclear",
                "price_terms",
                msg("A royalty is mentioned without its base and rate"),
            )
        )
    if contract.payment_amounts and sum(contract.payment_amounts) != contract.total_fen:
        found.append(
            PrecheckFinding(
                RefusalGround.UNCLEAR_TERMS,
                "payments_do_not_add_up",
                "payments",
                msg(
                    "The payment schedule adds up to {scheduled} fen, not the contract's {total} fen",
                    scheduled=sum(contract.payment_amounts),
                    total=contract.total_fen,
                ),
            )
        )
    return found


def _restrictive(contract: PrecheckInput, phrases: Sequence[str]) -> list[PrecheckFinding]:
    texts = (("content_summary", contract.content_summary), ("price_terms", contract.price_terms))
    return [
        PrecheckFinding(
            RefusalGround.RESTRICTIVE_CLAUSES,
            "restrictive_phrase",
            field,
            msg("“{phrase}” may be a clause that restricts technology; check it", phrase=phrase),
        )
        for field, text in texts
        for phrase in phrases
        if phrase and phrase in text
    ]
