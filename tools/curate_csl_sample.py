"""Re-create app/demo/data/csl_sample.tsv from the CSL sample (a development step, never run by the app).

    python tools/curate_csl_sample.py ../shared/data/csl/dev.tsv app/demo/data/csl_sample.tsv

Keeps records of the engineering, agricultural, medical and natural-science disciplines that the
city's industries draw on, whose titles read like a technology (制备, 工艺, 系统, ...) rather than a
review or a policy essay, up to a quota per discipline, in the order of the source file.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

QUOTAS = {
    "材料科学与工程": 34,
    "化学/化学工程与技术": 30,
    "药学": 28,
    "生物学/生物科学与工程": 12,
    "基础医学/临床医学": 6,
    "食品科学与工程": 30,
    "水产": 22,
    "海洋科学": 8,
    "船舶与海洋工程": 18,
    "机械工程": 22,
    "控制科学与工程": 10,
    "计算机科学与技术": 10,
    "电子科学与技术": 10,
    "信息与通信工程": 5,
    "光学工程": 6,
    "电气工程": 14,
    "动力工程及工程热物理": 12,
    "核科学与技术": 5,
    "石油与天然气工程": 6,
    "环境科学与工程": 20,
    "作物学": 6,
    "园艺学": 8,
    "农业工程": 10,
    "畜牧学/兽医学": 4,
    "农业资源利用": 4,
    "交通运输工程": 5,
    "冶金工程": 4,
    "纺织科学与工程": 3,
}
TECHNICAL = (
    "制备",
    "工艺",
    "合成",
    "提取",
    "设计",
    "系统",
    "装置",
    "方法",
    "技术",
    "优化",
    "检测",
    "控制",
    "性能",
    "材料",
    "模型",
    "开发",
    "研制",
    "算法",
    "分离",
    "处理",
    "改性",
    "测定",
    "保鲜",
    "加工",
    "栽培",
    "育种",
    "养殖",
    "催化",
    "仿真",
    "识别",
    "纯化",
    "发酵",
    "复合",
    "涂层",
    "电池",
    "传感",
)
NOT_TECHNICAL = (
    "综述",
    "进展",
    "探析",
    "探讨",
    "浅谈",
    "浅析",
    "现状",
    "思考",
    "对策",
    "展望",
    "教学",
    "课程",
    "管理",
    "概述",
    "回顾",
    "意义",
    "患者",
    "病例",
    "临床观察",
    "调查",
    "系统评价",
    "随机对照",
    "园林",
    "景观",
    "施工",
    "麻醉",
    "发展方向",
    "治疗",
    "思路",
    "总结",
    "规划",
    "?",
    "？",
)
COLUMNS = ["title", "abstract", "keywords", "discipline", "category"]


def keep(row: dict[str, str]) -> bool:
    title, abstract, keywords = row["title"], row["abstract"], row["keywords"]
    if not any(word in title for word in TECHNICAL) or any(word in title for word in NOT_TECHNICAL):
        return False
    if not 80 <= len(abstract) <= 600 or len(title) > 60:
        return False
    if any(char in value for value in row.values() for char in "\t\r\n"):
        return False
    words = [word for word in keywords.split("_") if word]
    return 2 <= len(words) <= 8 and all(len(word) <= 20 for word in words)


def main(source: Path, target: Path) -> None:
    taken: dict[str, int] = dict.fromkeys(QUOTAS, 0)
    titles: set[str] = set()
    kept: list[dict[str, str]] = []
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            discipline = row["discipline"]
            if discipline not in QUOTAS or taken[discipline] >= QUOTAS[discipline]:
                continue
            if row["title"] in titles or not keep(row):
                continue
            titles.add(row["title"])
            taken[discipline] += 1
            kept.append({column: row[column].strip() for column in COLUMNS})
    # Plain tab-joined lines: the text has quotes, never tabs or line breaks (keep() makes sure).
    lines = ["\t".join(COLUMNS), *("\t".join(row[column] for column in COLUMNS) for row in kept)]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    short = {name: f"{count}/{QUOTAS[name]}" for name, count in taken.items() if count < QUOTAS[name]}
    sys.stdout.write(f"{len(kept)} records written to {target}; under quota: {short}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
