"""The codes of the import format and the reports (CONTRACT.md): data, cheap to import."""

from __future__ import annotations

# Foreign affairs (đối ngoại).
FUNDING = ("state_budget", "self_funded", "central", "partner")
APPROVAL = ("province", "central")
DIRECTIONS = ("outbound", "inbound")
PARTNER_TYPES = ("embassy", "international_org", "ngo", "locality", "business")
# Who arranged a delegation: an inbound one came at the province's invitation or at its own
# request; an outbound one went under the province's plan or a ministry's (delegation `arranged`).
ARRANGED = {"inbound": ("invited", "own_request"), "outbound": ("province_plan", "ministry_plan")}
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
# Their names as the law and the documents write them (web labels; documents add "danh hiệu").
FORM_NAMES = {
    "huan_chuong": "Huân chương",
    "huy_chuong": "Huy chương",
    "danh_hieu_vinh_du": "Danh hiệu vinh dự Nhà nước",
    "giai_thuong": "Giải thưởng",
    "ky_niem_chuong": "Kỷ niệm chương",
    "bang_khen": "Bằng khen",
    "giay_khen": "Giấy khen",
    "chien_si_thi_dua_toan_quoc": "Chiến sĩ thi đua toàn quốc",
    "chien_si_thi_dua_cap_tinh": "Chiến sĩ thi đua cấp tỉnh",
    "chien_si_thi_dua_co_so": "Chiến sĩ thi đua cơ sở",
    "lao_dong_tien_tien": "Lao động tiên tiến",
    "co_thi_dua_chinh_phu": "Cờ thi đua của Chính phủ",
    "co_thi_dua_cap_tinh": "Cờ thi đua cấp tỉnh",
    "tap_the_lao_dong_xuat_sac": "Tập thể lao động xuất sắc",
    "tap_the_lao_dong_tien_tien": "Tập thể lao động tiên tiến",
}
GRANTOR_NAMES = {
    "chu_tich_nuoc": "Chủ tịch nước",
    "thu_tuong": "Thủ tướng Chính phủ",
    "bo_truong": "Bộ trưởng",
    "ubnd_tinh": "UBND tỉnh",
    "thu_truong_co_quan": "Thủ trưởng cơ quan",
    "chu_tich_ubnd_huyen": "Chủ tịch UBND cấp huyện",
    "chu_tich_ubnd_xa": "Chủ tịch UBND cấp xã",
}
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
