"""The codes of the import format and the reports (CONTRACT.md): data, cheap to import."""

from __future__ import annotations

# Foreign affairs (đối ngoại).
FUNDING = ("state_budget", "self_funded", "central", "partner")
APPROVAL = ("province", "central")
DIRECTIONS = ("outbound", "inbound")
PARTNER_TYPES = ("embassy", "international_org", "ngo", "locality", "business")
AGREEMENT_LEVELS = ("province", "agency")
CONFERENCE_TYPES = ("conference", "workshop")

# Emulation and commendation (thi đua, khen thưởng).
COMMENDATION_FORMS = (
    "huan_chuong",
    "huy_chuong",
    "danh_hieu_vinh_du",
    "giai_thuong",
    "ky_niem_chuong",
    "bang_khen",
    "giay_khen",
)
EMULATION_TITLES = (
    "chien_si_thi_dua_toan_quoc",
    "chien_si_thi_dua_cap_tinh",
    "chien_si_thi_dua_co_so",
    "lao_dong_tien_tien",
    "co_thi_dua_chinh_phu",
    "co_thi_dua_cap_tinh",
    "tap_the_lao_dong_xuat_sac",
    "tap_the_lao_dong_tien_tien",
)
FORMS = COMMENDATION_FORMS + EMULATION_TITLES
GRANTORS = (
    "chu_tich_nuoc",
    "thu_tuong",
    "bo_truong",
    "ubnd_tinh",
    "thu_truong_co_quan",
    "chu_tich_ubnd_huyen",
    "chu_tich_ubnd_xa",
)
CATEGORIES = ("cong_trang", "chuyen_de", "dot_xuat", "cong_hien", "nien_han", "doi_ngoai")
RECIPIENT_TYPES = ("individual", "collective")
LAUNCHERS = ("ministry", "province", "department", "bloc", "cluster")
PENDING = ("proposed", "submitted")

# Allowed changes of an award case, in effective-time order (corrections exempt).
AWARD_NEXT: dict[str | None, frozenset[str]] = {
    None: frozenset({"proposed", "granted"}),
    "proposed": frozenset({"submitted", "granted", "rejected", "withdrawn"}),
    "submitted": frozenset({"granted", "rejected", "withdrawn"}),
    "granted": frozenset(),
    "rejected": frozenset(),
    "withdrawn": frozenset(),
}
STAGE_OF_KIND = {
    "award.proposed": "proposed",
    "award.submitted": "submitted",
    "award.granted": "granted",
    "award.rejected": "rejected",
    "award.withdrawn": "withdrawn",
}
