"""Every sample report issued as the official document (DOCX and PDF) by the one engine (each
kind's standard body, renderer version 2), read back: the seeds' sentences with their figures and
terms, no internal code in the text, a grantor named once per award line, the layout of Nghị định
30/2020, the fonts, the first page kept as PNG under test-output/render/."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from docx import Document as read_docx

from tests.conftest import Cli
from tests.render.conftest import (
    ARTEFACTS,
    docx_text,
    first_page_png,
    pdf_fonts,
    pdf_pages,
    pdf_text,
    squeeze,
)

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Case:
    """One sample report issued as a document, and what the document must say."""

    name: str
    kind: str
    org: str
    period: str
    number: str
    signed_on: str
    signer: str
    title: str
    form: str | None
    date_line: str
    expected: tuple[str, ...]
    programme: str | None = None
    recipients: str = "Như trên; Lưu: VT"
    header: tuple[str, ...] = field(default=("UBND TỈNH HÀ TĨNH", "SỞ NGOẠI VỤ"))


CASES = [
    Case(
        "000-key-tasks",
        "key-tasks",
        "ha-tinh",
        "2020",
        "849/SNgV-VP",
        "2020-12-11",
        "Lê Thị Khánh Cẩm",
        "CHÁNH VĂN PHÒNG",
        "TL. GIÁM ĐỐC",
        "Hà Tĩnh, ngày 11 tháng 12 năm 2020",
        (
            "V/v báo cáo kết quả thực hiện nhiệm vụ trọng tâm năm 2020",
            "Kính gửi: Ban Giám đốc Sở.",
            "Thực hiện ý kiến chỉ đạo của lãnh đạo Sở về việc giao Văn phòng - Thanh tra rà soát",
            "1. Nhiệm vụ đã hoàn thành theo kế hoạch và thời gian:",
            "trong Chương trình theo số thứ tự: 1, 2, 5, 6, 8, 9, 10, 12, 13, 14, 15, 20.",
            "2. Nhiệm vụ đang triển khai (nhiệm vụ 21): Tổ chức tổng kết công tác đối ngoại, "
            "biên giới và công tác phi chính phủ năm 2020",
            "3. Một số nhiệm vụ đề xuất điều chỉnh sang năm 2021:",
            "thanh tra đối ngoại tại UBND huyện Vũ Quang và UBND huyện Hương Khê (nhiệm vụ 11), "
            "tổ chức Chương trình gặp mặt, kết nối kiều bào nhân dịp Tết cổ truyền (nhiệm vụ 22).",
            "4. Một số nhiệm vụ không thực hiện được: Do ảnh hưởng của đại dịch Covid-19, cụ thể: "
            "ký kết quan hệ hợp tác hữu nghị giữa tỉnh Hà Tĩnh và tỉnh Tula/Liên bang Nga "
            "(nhiệm vụ 3)",
            "tham dự Hội nghị cấp cao 9 tỉnh 03 nước tại Thái Lan (nhiệm vụ 18).",
            "609/SNgV-HTQT",
            "Văn phòng - Thanh tra tổng hợp báo cáo Ban Giám đốc Sở./.",
            "- Như trên;",
            "- Các phòng, đơn vị;",
            "- Lưu: VPTTr.",
        ),
        recipients="Như trên; Các phòng, đơn vị; Lưu: VPTTr",
    ),
    Case(
        "002-key-tasks",
        "key-tasks",
        "ha-tinh",
        "2021",
        "410/SNgV-VP",
        "2021-06-14",
        "Thái Phúc Sơn",
        "GIÁM ĐỐC",
        None,
        "Hà Tĩnh, ngày 14 tháng 6 năm 2021",
        ("Chương trình có 24 nhiệm vụ; đến nay đã hoàn thành 10/24 nhiệm vụ.",),
    ),
    Case(
        "000-assigned-tasks",
        "assigned-tasks",
        "ha-tinh",
        "2020",
        "850/SNgV-VP",
        "2020-12-11",
        "Lê Thị Khánh Cẩm",
        "CHÁNH VĂN PHÒNG",
        "TL. GIÁM ĐỐC",
        "Hà Tĩnh, ngày 11 tháng 12 năm 2020",
        (
            "Từ đầu năm đến nay, Sở Ngoại vụ được giao tổng cộng 01 nhiệm vụ, trong đó có 01 "
            "nhiệm vụ hoàn thành trong hạn.",
            "Quy chế phối hợp xử lý các vấn đề về lãnh sự liên quan đến người nước ngoài",
        ),
        programme="UBND-2020",
    ),
    Case(
        "004-assigned-tasks",
        "assigned-tasks",
        "gia-lai",
        "2020",
        "1235/SNgV-VP",
        "2020-11-20",
        "Người ký (không nêu trong báo cáo)",
        "GIÁM ĐỐC",
        None,
        "Gia Lai, ngày 20 tháng 11 năm 2020",
        (
            "Từ đầu năm đến nay, Sở Ngoại vụ được giao tổng cộng 48 nhiệm vụ, trong đó có 44 "
            "nhiệm vụ hoàn thành trong hạn, 02 nhiệm vụ chưa hoàn thành trong hạn, 02 nhiệm vụ "
            "hoàn thành quá hạn",
        ),
        programme="UBND-2020",
        header=("UBND TỈNH GIA LAI", "SỞ NGOẠI VỤ"),
    ),
    Case(
        "001-foreign-affairs",
        "foreign-affairs",
        "ha-tinh",
        "2021-03",
        "180/BC-SNgV",
        "2021-03-14",
        "Ngô Thị Hoài Nam",
        "PHÓ GIÁM ĐỐC",
        "KT. GIÁM ĐỐC",
        "Hà Tĩnh, ngày 14 tháng 3 năm 2021",
        (
            "BÁO CÁO",
            "Công tác đối ngoại tháng 3/2021, kế hoạch tháng 4/2021",
            "Biên dịch: 256 trang",
            "85 trang biên dịch có chứng thực, 82 trang biên dịch chứng nhận tại Trung tâm, 88 "
            "trang biên dịch nội dung, 01 trang hiệu đính nội dung",
            "Hồ sơ cho phép tổ chức hội nghị, hội thảo quốc tế: 04 hồ sơ.",
            "II. KẾ HOẠCH TRỌNG TÂM THÁNG 4/2021",
            "- Tham mưu UBND tỉnh thư chúc mừng các tỉnh bạn Lào nhân dịp Tết cổ truyền",
        ),
    ),
    Case(
        "002-foreign-affairs",
        "foreign-affairs",
        "ha-tinh",
        "2021-H1",
        "411/BC-SNgV",
        "2021-06-14",
        "Ngô Thị Hoài Nam",
        "PHÓ GIÁM ĐỐC",
        "KT. GIÁM ĐỐC",
        "Hà Tĩnh, ngày 14 tháng 6 năm 2021",
        (
            "Biên dịch: 2.139 trang (tăng 35% so với cùng kỳ năm 2020)",
            "Có 15 đoàn/179 lượt khách nước ngoài đến thăm, làm việc tại tỉnh",
            "Tham mưu cho phép tổ chức 08 hội nghị, hội thảo quốc tế (tăng 07 hội nghị, hội thảo "
            "so với cùng kỳ năm 2020)",
            "Giá trị cam kết viện trợ phi chính phủ nước ngoài đạt 948.500 USD",
            "giá trị giải ngân đạt 680.000 USD",
            "Vụ việc lãnh sự, bảo hộ công dân: 09 vụ việc",
            "Hồ sơ chứng nhận lãnh sự, hợp pháp hóa lãnh sự: 11 hồ sơ",
        ),
    ),
    Case(
        "003-foreign-affairs",
        "foreign-affairs",
        "ha-tinh",
        "2022",
        "1612/BC-SNgV",
        "2022-11-24",
        "Ngô Thị Hoài Nam",
        "PHÓ GIÁM ĐỐC",
        "KT. GIÁM ĐỐC",
        "Hà Tĩnh, ngày 24 tháng 11 năm 2022",
        (
            "Có 49 đoàn/275 lượt cán bộ, công chức, viên chức của tỉnh đi công tác nước ngoài",
            "trong đó có 19 đoàn sử dụng ngân sách Nhà nước, 10 đoàn tự túc kinh phí, 07 đoàn do "
            "Trung ương đài thọ, 13 đoàn do đối tác đài thọ; 44 đoàn thuộc thẩm quyền tỉnh phê "
            "duyệt, 05 đoàn thuộc thẩm quyền Trung ương phê duyệt",
            "Thực hiện 05/08 (tỷ lệ 63%) các đoàn ra theo kế hoạch",
            "Trong kỳ có 02 đoàn phát sinh ngoài kế hoạch.",
            "Có 28 đoàn/479 lượt khách nước ngoài đến thăm, làm việc tại tỉnh",
            "09 đoàn do lãnh đạo tỉnh đón tiếp",
            # cùng kỳ: the window of 2021 cut at 24/11/2021, never "so với năm 2021"
            "21 hội nghị, hội thảo quốc tế (tăng 06 hội nghị, hội thảo so với cùng kỳ năm 2021)",
            "trong đó có 03 thỏa thuận nhân danh cấp tỉnh và 11 thỏa thuận nhân danh các cơ quan, "
            "tổ chức, đơn vị trực thuộc (tăng 11 thỏa thuận so với cùng kỳ năm 2021)",
            "đạt gần 1,6 triệu USD",
            "giá trị giải ngân đạt 905.000 USD",
            "Hồ sơ thủ tục hành chính tiếp nhận: 99 hồ sơ",
            "25 hồ sơ hộ chiếu, 62 hồ sơ lãnh sự, 12 hồ sơ cho phép tổ chức hội nghị, hội thảo "
            "quốc tế",
        ),
    ),
    Case(
        "004-foreign-affairs",
        "foreign-affairs",
        "gia-lai",
        "2020",
        "1236/BC-SNgV",
        "2020-11-20",
        "Người ký (không nêu trong báo cáo)",
        "GIÁM ĐỐC",
        None,
        "Gia Lai, ngày 20 tháng 11 năm 2020",
        (
            "Đoàn ra: Có 04 đoàn/27 lượt cán bộ, công chức, viên chức của tỉnh đi công tác nước "
            "ngoài (giảm 47 đoàn/272 lượt so với cùng kỳ năm 2019)",
            "Đoàn vào: Có 44 đoàn/213 lượt khách nước ngoài đến thăm, làm việc tại tỉnh (giảm "
            "51 đoàn/379 lượt so với cùng kỳ năm 2019)",
            "Tham mưu cho phép tổ chức 02 hội nghị, hội thảo quốc tế (giảm 05 hội nghị, hội thảo "
            "so với cùng kỳ năm 2019).",
        ),
        header=("UBND TỈNH GIA LAI", "SỞ NGOẠI VỤ"),
    ),
    Case(
        "002-emulation",
        "emulation",
        "ha-tinh",
        "2021-H1",
        "412/BC-SNgV",
        "2021-06-14",
        "Thái Phúc Sơn",
        "GIÁM ĐỐC",
        None,
        "Hà Tĩnh, ngày 14 tháng 6 năm 2021",
        (
            "Công tác thi đua, khen thưởng 6 tháng đầu năm 2021",
            "A. KẾT QUẢ ĐẠT ĐƯỢC 6 THÁNG ĐẦU NĂM 2021",
            "1. Công tác lãnh đạo, chỉ đạo",
            "(phát động ngày 02/02/2021, văn bản số 84/KH-SNgV)",
            "UBND tỉnh tặng Cờ thi đua xuất sắc của UBND tỉnh cho 01 tập thể (Sở Ngoại vụ tỉnh "
            "Hà Tĩnh).",
            "UBND tỉnh tặng Bằng khen cho 03 cá nhân",
            "UBND tỉnh tặng danh hiệu Tập thể lao động xuất sắc cho 01 tập thể",
            "Đề nghị Chủ tịch nước tặng Huân chương Lao động hạng Nhì cho tập thể Sở Ngoại vụ "
            "tỉnh Hà Tĩnh",
        ),
    ),
    Case(
        "002-award-register",
        "award-register",
        "ha-tinh",
        "2020",
        "413/BC-SNgV",
        "2021-06-14",
        "Thái Phúc Sơn",
        "GIÁM ĐỐC",
        None,
        "Hà Tĩnh, ngày 14 tháng 6 năm 2021",
        ("Sổ theo dõi khen thưởng năm 2020", "tổng số 16 trường hợp", "Cờ thi đua xuất sắc"),
    ),
    Case(
        "002-award-irregular",
        "award-irregular",
        "ha-tinh",
        "2020",
        "414/BC-SNgV",
        "2021-06-14",
        "Thái Phúc Sơn",
        "GIÁM ĐỐC",
        None,
        "Hà Tĩnh, ngày 14 tháng 6 năm 2021",
        ("Các trường hợp khen thưởng cần rà soát năm 2020", "Chưa ghi số quyết định"),
    ),
]
IDS = [c.name for c in CASES]


def issue(cli: Cli, case: Case, out: Path) -> dict[str, Path]:
    """Issue the case's report; the kept PDF (issue --format pdf) and DOCX (reprint --original)."""
    args = [
        "issue",
        case.kind,
        "--org",
        case.org,
        "--period",
        case.period,
        "--number",
        case.number,
        "--signed-on",
        case.signed_on,
        "--signer",
        case.signer,
        "--signer-title",
        case.title,
        "--recipients",
        case.recipients,
    ]
    if case.form:
        args += ["--signing-form", case.form]
    if case.programme:
        args += ["--programme", case.programme]
    pdf, docx = out / f"{case.name}.pdf", out / f"{case.name}.docx"
    result = cli(*args, "--format", "pdf", "-o", str(pdf))
    assert result.exit_code == 0, result.output
    result = cli(
        "reprint", case.org, case.number, "--format", "docx", "--original", "-o", str(docx)
    )
    assert result.exit_code == 0, result.output
    return {"pdf": pdf, "docx": docx}


@pytest.fixture(scope="module")
def issued(samples_cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("issued")
    return {case.name: issue(samples_cli, case, out) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_pdf_says_the_seed_sentences_with_their_figures(case: Case, issued: dict) -> None:
    text = squeeze(pdf_text(issued[case.name]["pdf"]))
    for sentence in (
        *case.expected,
        case.date_line,
        f"Số: {case.number}",
        case.title,
        case.signer,
        *((case.form,) if case.form else ()),
    ):
        assert squeeze(sentence) in text, sentence


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_docx_says_the_same(case: Case, issued: dict) -> None:
    text = squeeze(docx_text(issued[case.name]["docx"]))
    for sentence in (*case.expected, case.date_line, f"Số: {case.number}", case.signer):
        assert squeeze(sentence) in text, sentence


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_first_page_has_the_national_title_and_the_issuing_body(case: Case, issued: dict) -> None:
    first = squeeze(pdf_text(issued[case.name]["pdf"], 1))
    for line in (QUOC_HIEU, TIEU_NGU, *case.header, case.date_line, f"Số: {case.number}"):
        assert squeeze(line) in first, line


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_first_page_kept_as_png(case: Case, issued: dict) -> None:
    png = first_page_png(issued[case.name]["pdf"], case.name)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
    assert png.parent == ARTEFACTS


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_liberation_serif_is_embedded_and_nothing_else(case: Case, issued: dict) -> None:
    fonts = pdf_fonts(issued[case.name]["pdf"])
    assert fonts
    for row in fonts:
        assert "Liberation-Serif" in row[0], row
        assert row[-5] == "yes", row  # emb


def test_page_numbers_only_from_page_two(issued: dict) -> None:
    """Nghị định 30/2020: the number centred at the top, none on the first page."""
    pdf = issued["000-key-tasks"]["pdf"]
    pages = pdf_pages(pdf)
    assert pages >= 2
    first = [line.strip() for line in pdf_text(pdf, 1).splitlines() if line.strip()]
    assert "1" not in first
    for page in range(2, pages + 1):
        lines = [line.strip() for line in pdf_text(pdf, page).splitlines() if line.strip()]
        assert str(page) in lines


def test_digest_and_chain_head_once_at_the_end(samples_cli: Cli, issued: dict) -> None:
    result = samples_cli("reprint", "ha-tinh", "849/SNgV-VP")
    assert result.exit_code == 0
    import json

    digest = json.loads(result.stdout)["digest"]
    for fmt in ("pdf", "docx"):
        path = issued["000-key-tasks"][fmt]
        text = squeeze(pdf_text(path) if fmt == "pdf" else docx_text(path))
        # once, at the end of the last page (issue 14 item 8), not in every footer
        assert text.count(squeeze(f"Nội dung: {digest}")) == 1
        assert text.count(squeeze("Chuỗi băm khi ban hành: @")) == 1
    assert squeeze(f"Nội dung: {digest}") not in squeeze(
        footer_text(issued["000-key-tasks"]["docx"])
    )


def footer_text(path: Path) -> str:
    doc = read_docx(str(path))
    section = doc.sections[0]
    return "\n".join(
        p.text for f in (section.footer, section.first_page_footer) for p in f.paragraphs
    )


def test_docx_layout(issued: dict) -> None:
    """Page, margins, font, the header blocks and their order, read from the DOCX."""
    doc = read_docx(str(issued["000-key-tasks"]["docx"]))
    section = doc.sections[0]
    mm = 36000  # EMU per millimetre
    assert abs(section.page_width - 210 * mm) < mm
    assert abs(section.page_height - 297 * mm) < mm
    assert section.page_height > section.page_width
    # Word stores twips: 15 mm is 850 twips, 14.99 mm.
    assert 20 <= round(section.top_margin / mm, 1) <= 25
    assert 20 <= round(section.bottom_margin / mm, 1) <= 25
    assert 30 <= round(section.left_margin / mm, 1) <= 35
    assert 15 <= round(section.right_margin / mm, 1) <= 20

    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.rPr.rFonts
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(f"{{{fonts.nsmap['w']}}}{attr}") == "Times New Roman"

    body = list(doc.element.body.iterchildren())
    assert body[0].tag.endswith("}tbl")  # the header table comes first
    head = doc.tables[0]
    left = [p.text for p in head.cell(0, 0).paragraphs if p.text]
    right = [p.text for p in head.cell(0, 1).paragraphs if p.text]
    assert left == ["UBND TỈNH HÀ TĨNH", "SỞ NGOẠI VỤ"]
    assert right == [QUOC_HIEU, TIEU_NGU]
    org_run = head.cell(0, 0).paragraphs[1].runs[0]
    assert org_run.bold and not head.cell(0, 0).paragraphs[0].runs[0].bold
    assert head.cell(0, 1).paragraphs[0].runs[0].bold
    motto = head.cell(0, 1).paragraphs[1].runs[0]
    assert motto.bold and motto.underline
    assert squeeze(docx_text(issued["000-key-tasks"]["docx"])).count("Số:849/SNgV-VP") == 1
    assert head.cell(1, 0).text.startswith("Số:\u00a0849/SNgV")  # never broken after "Số:"
    assert head.cell(1, 1).text == "Hà Tĩnh, ngày 11 tháng 12 năm 2020"
    assert head.cell(1, 1).paragraphs[0].runs[0].italic
    assert head.cell(2, 0).text == "V/v báo cáo kết quả thực hiện nhiệm vụ trọng tâm năm 2020"

    texts = [p.text for p in doc.paragraphs]
    order = [
        next(i for i, t in enumerate(texts) if t.startswith(start))
        for start in (
            "Kính gửi: Ban Giám đốc Sở.",
            "Thực hiện ý kiến chỉ đạo",
            "1. Nhiệm vụ đã hoàn thành",
            "2. Nhiệm vụ đang triển khai",
            "Văn phòng - Thanh tra tổng hợp báo cáo",
        )
    ]
    assert order == sorted(order)
    sign = doc.tables[-1]
    # the signature table closes the text; after it only the digest line, small (then sectPr)
    last = max(i for i, el in enumerate(body) if el.tag.endswith("}tbl"))
    after = body[last + 1 :]
    assert all(el.tag.endswith(("}p", "}sectPr")) for el in after)
    tail = "".join(t.text or "" for el in after for t in el.iter() if t.tag.endswith("}t"))
    assert tail.startswith("Nội dung: sha256:")
    recipients = [p.text for p in sign.cell(0, 0).paragraphs if p.text]
    assert recipients == ["Nơi nhận:", "- Như trên;", "- Các phòng, đơn vị;", "- Lưu: VPTTr."]
    signer = [p.text for p in sign.cell(0, 1).paragraphs if p.text]
    assert signer == ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "Lê Thị Khánh Cẩm"]

    # No page number on page 1: a first-page header of its own, empty; PAGE in the others.
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    assert " PAGE " in section.header._element.xml

    props = doc.core_properties
    assert props.created.isoformat().startswith("2020-12-10T17:00")  # 11/12/2020 00:00 +07:00
    assert props.modified == props.created
    assert props.author == "Sở Ngoại vụ tỉnh Hà Tĩnh"


def _codes(cli: Cli, case: Case) -> set[str]:
    """The internal codes of a case's report: programme and record ids (never pure digits,
    which the text writes as years and task numbers)."""
    import json

    args = ["report", case.kind, "--org", case.org, "--period", case.period]
    args += ["--as-of", case.signed_on] + (
        ["--programme", case.programme] if case.programme else []
    )
    result = cli(*args)
    assert result.exit_code == 0, result.output
    content = json.loads(result.stdout)
    found = {str(content.get("programme") or "")}
    for key in ("tasks", "awards", "proposed", "movements"):
        for item in content.get(key) or []:
            found |= {str(item.get("programme") or ""), str(item.get("id") or "")}
    return {code for code in found if code and not code.isdigit()}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_internal_code_in_the_text(samples_cli: Cli, case: Case, issued: dict) -> None:
    """Issue 14 item 8: no programme code or record id, in either format."""
    codes = _codes(samples_cli, case)
    if case.kind in ("assigned-tasks", "emulation", "award-register", "award-irregular"):
        assert codes, "the case has codes to look for"
    for fmt, text in (
        ("pdf", squeeze(pdf_text(issued[case.name]["pdf"]))),
        ("docx", squeeze(docx_text(issued[case.name]["docx"]))),
    ):
        for code in codes:
            assert squeeze(code) not in text, (fmt, code)


def test_a_grantor_is_named_once_per_award_line(issued: dict) -> None:
    """Issue 14 item 8: one line per grantor, award and recipient type, the grantor once."""
    doc = read_docx(str(issued["002-emulation"]["docx"]))
    lines = [p.text for p in doc.paragraphs if p.text.startswith("- ") and " tặng " in p.text]
    granted = [line for line in lines if not line.startswith("- Đề nghị")]
    assert len(granted) == 4, granted
    heads = [line.split(" cho ", 1)[0] + " cho " + line.split(" cho ", 1)[1].split(" (")[0][3:]
             for line in granted]  # fmt: skip
    assert len(heads) == len(set(heads)), heads  # no grantor, award and type twice
    assert all(line.count(" tặng ") == 1 for line in lines), lines


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.kind == "foreign-affairs"], ids=lambda c: c.name
)
def test_a_comparison_is_with_cung_ky_never_a_whole_earlier_year(case: Case, issued: dict) -> None:
    """`previous` is the earlier window cut at the same day: "so với cùng kỳ năm N"."""
    text = squeeze(docx_text(issued[case.name]["docx"]))
    assert squeeze("so với năm") not in text
    if case.period in ("2021-H1", "2022", "2020"):
        assert squeeze("so với cùng kỳ năm") in text
