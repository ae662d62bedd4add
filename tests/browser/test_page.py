"""The web page of `fupin serve` in a real browser (headless Chromium driven by Selenium).

A finance officer's month: upload the ledger workbook and the schedule, see the bulletin — seven
units ranked, three behind schedule — switch to English, download the bulletin as .xlsx and read
it back; upload a bad workbook and see the cell named; see the 2020 report with every check's
clause and the plan's words; score a sheet of units. A screenshot of each page is saved under
`target/browser/` (look at them).

Run by `scripts/browser-test` (which installs Chromium and starts nothing itself): the fixture
starts `fupin serve --port 0` on a free loopback port.
"""

import os
import re
import subprocess
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SHOTS = ROOT / "target" / "browser"
FUPIN = Path(os.environ.get("FUPIN_BIN", ROOT / "target" / "debug" / "fupin"))


@pytest.fixture(scope="session")
def server():
    proc = subprocess.Popen(
        [str(FUPIN), "serve", "--bind", "127.0.0.1", "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    url = None
    deadline = time.time() + 30
    while url is None and time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if m:
            url = m.group(1)
    assert url, "fupin serve did not say where it listens"
    # Keep reading its log so that the pipe never fills.
    drain = threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True)
    drain.start()
    yield url
    proc.terminate()
    proc.wait(timeout=15)
    drain.join(timeout=5)
    proc.stderr.close()


@pytest.fixture(scope="session")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="session")
def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        "--lang=zh-CN",
    ]:
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(
        service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options
    )
    driver.set_window_size(1280, 800)
    yield driver
    driver.quit()


def wait(driver, condition, timeout=20):
    return WebDriverWait(driver, timeout).until(condition)


def shot(driver, name, width=1280):
    """A screenshot of the whole page at `width`."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.execute_script("window.scrollTo(0, 0)")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, max(800, height + 40))
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    driver.set_window_size(1280, 800)


def cli(*args):
    return subprocess.run([str(FUPIN), *args], check=True, capture_output=True, text=True).stdout


def rows(driver, section="out-bulletin"):
    out = driver.find_element(By.ID, section)
    table = out.find_element(By.CSS_SELECTOR, "table")
    return [
        [c.text for c in tr.find_elements(By.CSS_SELECTOR, "th, td")]
        for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ], table


def upload_bulletin(driver, url, ledger):
    driver.get(url + "/")
    driver.find_element(By.ID, "ledger").send_keys(str(ledger))
    driver.find_element(By.ID, "schedule").send_keys(str(EXAMPLES / "schedule_example.toml"))
    driver.find_element(By.CSS_SELECTOR, "#form-bulletin button[type=submit]").click()


def test_every_control_has_a_label_and_nothing_comes_from_elsewhere(server, browser):
    browser.get(server + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "扶贫资金月通报与年度考核"
    for control in browser.find_elements(By.CSS_SELECTOR, "input, select"):
        cid = control.get_attribute("id")
        assert browser.find_elements(By.CSS_SELECTOR, f'label[for="{cid}"]'), cid
    sources = browser.execute_script(
        "return [...document.querySelectorAll('script[src], link[href], img[src]')].map(e => e.src || e.href)"
    )
    assert all(s.startswith(server) for s in sources), sources


def test_xlsx_ledger_to_bulletin_switch_language_and_download(server, browser, downloads):
    upload_bulletin(browser, server, EXAMPLES / "ledger_2020.xlsx")
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "#out-bulletin table")))
    body, table = rows(browser)
    units = [r[1] for r in body[:-1]]
    assert units == ["双塔区", "朝阳县", "喀左县", "凌源市", "建平县", "北票市", "龙城区"]
    assert body[-1][1] == "全市合计"
    behind = [
        tr.find_elements(By.CSS_SELECTOR, "th, td")[1].text
        for tr in table.find_elements(By.CSS_SELECTOR, "tr.behind")
    ]
    assert behind == ["建平县", "北票市", "龙城区"]
    # Every cell is what the command prints for the same files.
    text = cli(
        "spending",
        "bulletin",
        "--ledger",
        str(EXAMPLES / "ledger_2020.xlsx"),
        "--month",
        "2020-06",
        "--schedule",
        str(EXAMPLES / "schedule_example.toml"),
    )
    printed = {
        line.split()[1] if line.split()[0].isdigit() else line.split()[0]: line
        for line in text.splitlines()
        if "万元" in line
    }
    for r in body:
        line = printed[r[1]]
        for cell in r:
            if cell:
                assert cell in line, (cell, line)
    page = browser.find_element(By.ID, "out-bulletin").text
    assert "落后序时进度（3 个）：建平县、北票市、龙城区。" in page
    assert "朝财农〔2020〕67号" in page
    chart = browser.find_element(By.CSS_SELECTOR, "#out-bulletin figure svg")
    assert chart.get_attribute("role") == "img"
    shot(browser, "bulletin-zh")

    # English: the page and the results.
    browser.find_element(By.ID, "lang").click()
    wait(browser, lambda d: "Poverty-alleviation" in d.find_element(By.TAG_NAME, "h1").text)
    wait(
        browser,
        lambda d: "unit" in [th.text for th in d.find_elements(By.CSS_SELECTOR, "#out-bulletin thead th")],
    )
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    body, table = rows(browser)
    assert len(table.find_elements(By.CSS_SELECTOR, "tr.behind")) == 3
    assert "Behind schedule (3): 建平县, 北票市, 龙城区." in browser.find_element(By.ID, "out-bulletin").text
    shot(browser, "bulletin-en")

    # Download the bulletin (in English now) and read it back.
    browser.find_element(By.ID, "download-bulletin").click()
    deadline = time.time() + 20
    files = []
    while time.time() < deadline and not files:
        files = [p for p in downloads.glob("*.xlsx")]
        time.sleep(0.2)
    assert files, "no workbook was downloaded"
    book = openpyxl.load_workbook(files[0])
    assert book.sheetnames == ["Bulletin", "Checks and clauses"]
    sheet = book["Bulletin"]
    found = {sheet.cell(row=r, column=2).value: r for r in range(1, sheet.max_row + 1)}
    r = found["建平县"]
    assert [sheet.cell(row=r, column=c).value for c in (3, 4, 9)] == [11000, 5280, 220]
    assert sheet.cell(row=r, column=3).number_format == "#,##0.00"
    assert "朝财农〔2020〕67号" in sheet.cell(row=1, column=1).value
    browser.find_element(By.ID, "lang").click()
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN")


def test_the_page_fits_a_phone(server, browser):
    upload_bulletin(browser, server, EXAMPLES / "ledger_2020.csv")
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "#out-bulletin table")))
    browser.set_window_size(390, 844)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400, f"the page is {width}px wide on a phone"
    shot(browser, "bulletin-phone", width=390)


def test_a_bad_workbook_shows_the_sheet_cell_and_value(server, browser, tmp_path):
    bad = tmp_path / "台账.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "六月"
    ws.append(["月份", "县(市)区", "下达（万元）", "支出（万元）"])
    ws.append(["2020-06", "朝阳县", 100, 10])
    ws.append(["2020-06", "建平县", "lots", 10])
    ws.append(["2020-06", "东港区", 100, 10])
    book.save(bad)
    upload_bulletin(browser, server, bad)
    box = wait(browser, ec.visibility_of_element_located((By.ID, "errors-bulletin")))
    text = box.text
    assert "工作表「六月」单元格 C3" in text and "“lots”" in text, text
    assert "工作表「六月」单元格 B4" in text and "“东港区”" in text, text
    assert not browser.find_elements(By.CSS_SELECTOR, "#out-bulletin table")
    shot(browser, "bulletin-error")


def test_the_2020_report_shows_every_check_with_its_clause_and_the_plans_words(server, browser):
    browser.get(server + "/")
    tab = browser.find_element(By.ID, "tab-bulletin")
    tab.send_keys(Keys.ARROW_RIGHT)  # the tabs answer the keyboard
    assert browser.switch_to.active_element.get_attribute("id") == "tab-report"
    assert browser.find_element(By.ID, "panel-report").is_displayed()
    browser.find_element(By.CSS_SELECTOR, "#form-report button[type=submit]").click()
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "#out-report table")))
    table = browser.find_element(By.CSS_SELECTOR, "#out-report table")
    headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers[1] == "条款" and headers[-1] == "方案原文"
    checks = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(checks) == 21
    assert len(table.find_elements(By.CSS_SELECTOR, "tr.failed")) == 3
    words = [tr.find_elements(By.CSS_SELECTOR, "td")[-1].text for tr in checks]
    assert all(words), "every check shows the plan's sentence"
    assert words.count("见上（M1c 三(一)）") >= 7, "a sentence shared by several checks is shown once"
    assert "共 21 项检查：18 项通过，3 项未通过。" in browser.find_element(By.ID, "out-report").text
    shot(browser, "report-zh")


def test_a_score_sheet_gives_cards_a_per_unit_and_the_ranking(server, browser):
    browser.get(server + "/")
    browser.find_element(By.ID, "tab-scores").click()
    browser.find_element(By.ID, "input").send_keys(str(EXAMPLES / "score_a.xlsx"))
    browser.find_element(By.CSS_SELECTOR, "#form-scores button[type=submit]").click()
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "#out-scores table")))
    out = browser.find_element(By.ID, "out-scores")
    ranking = out.find_element(By.CSS_SELECTOR, "table")
    body = [
        [c.text for c in tr.find_elements(By.CSS_SELECTOR, "th, td")]
        for tr in ranking.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    assert [r[0] for r in body] == ["1", "2", "3"]
    assert body[2][3] == "一票否决"
    cards = out.find_elements(By.CSS_SELECTOR, "section.result h4")
    assert len(cards) == 3
    text = out.text
    for line in ["经验表彰", "超额完成行业扶贫任务", "加分合计（封顶）", "总分: 103"]:
        assert line in text, line
    shot(browser, "scores-zh")
