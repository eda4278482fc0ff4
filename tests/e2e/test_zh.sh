#!/usr/bin/env bash
# End-to-end tests of the Chinese interface in a detached tmux at 80x24 and
# 120x40: gettext's LANGUAGE and --lang, titles, counters, key hints, help,
# the Chinese lesson's captions, the too-small message, and after every
# screen: no line wider than the terminal (display width: a CJK character
# is two columns) and no replacement character.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

# fits W DESC: every line of the screen is at most W columns wide
fits() {
	local w=$1 widest
	widest=$(screen | LC_ALL=C.UTF-8 wc -L)
	if [ "$widest" -le "$w" ] && ! screen | grep -q $'\xef\xbf\xbd'; then ok; else
		bad "$2: a line is $widest columns wide on a $w-column terminal"; fi
}

for size in "80 24" "120 40"; do
	set -- $size
	W=$1 H=$2
	# ---- gettext's environment picks Chinese ----------------------------
	start "$W" "$H" LANGUAGE=zh_CN -- --tui
	expect "$W: first frame" F "第 1/7 步"
	expect "$W: title" E "训练 +掩码 causal +位置 开 +已训练：zh，3000 步"
	expect "$W: default sentence" F "[猫]"
	expect "$W: panel titles" E "分数 .*掩码 causal"
	if [ "$W" -ge 120 ]; then
		expect "$W: masked panel" F "掩码后的分数"
	else # at 80 columns the predictions take the masked grid's place
		expect "$W: predictions panel" E "目标 +RNN +p 损失"
	fi
	expect "$W: RNN counter" F "RNN：第 1/7 个串行步骤（每一步都等前一步）"
	expect "$W: attention counter" F "注意力：全部 7 行同时计算，任何 n 都是 4 个批量步骤"
	expect "$W: key hints" E "下一步 .*上一步 .*帮助 +q 退出"
	fits "$W" "$W: first frame"
	keys l l
	expect "$W: stepping" F "第 3/7 步"
	keys '?'
	expect "$W: help title" F "attnviz 按键"
	expect "$W: help line" F "掩码 causal <-> none，重新计算"
	fits "$W" "$W: help"
	keys q
	keys Tab Enter
	expect "$W: drill-down" F "行内 exp 之和"
	fits "$W" "$W: drill-down"
	keys Escape
	keys t
	expect "$W: inference" E "推理 +掩码 causal"
	fits "$W" "$W: inference"
	keys Q
	expect "$W: quiz" F "测验：第 1 题"
	fits "$W" "$W: quiz"
	keys Escape

	# ---- --lang zh and the Chinese lesson --------------------------------
	start "$W" "$H" -- --tui --lang zh --lesson parallel-attention
	expect "$W: lesson caption" F "课程步骤 1/12：RNN 一次读一个词"
	expect "$W: lesson text" F "每个隐藏状态都是前一个隐藏状态的函数。"
	fits "$W" "$W: lesson step 1"
	keys n n n n n
	expect "$W: lesson step 6" F "课程步骤 6/12：掩码矩阵"
	fits "$W" "$W: lesson step 6"
	keys n n n n n n
	expect "$W: lesson step 12" F "课程步骤 12/12：回到因果掩码"
	fits "$W" "$W: lesson step 12"
	# ---- the live switch: every word, and the lesson's captions ----------
	keys L
	expect "$W: switched to English" F "lesson step 12/12: Back to the causal mask"
	expect "$W: English counter" F "RNN: 3 of 7 sequential steps"
	expect "$W: English status" F "interface language: English (L switches)"
	keys '?'
	expect "$W: English help" F "attnviz keys"
	for _ in $(seq 1 50); do keys j; done
	expect "$W: L in the help" F "interface language English <-> Chinese, live"
	keys q L
	expect "$W: back to Chinese" F "课程步骤 12/12：回到因果掩码"
	expect "$W: Chinese status" F "界面语言：中文（按 L 切换）"
	fits "$W" "$W: after switching back"

	# ---- too small, then back ---------------------------------------------
	tm resize-window -t t -x 30 -y 10
	expect "$W: too small" F "终端太小："
	expect "$W: too small sizes" F "现有 30×10"
	fits 30 "$W: too small"
	tm resize-window -t t -x "$W" -y "$H"
	expect "$W: back from too small" F "课程步骤 12/12"
	keys q
	expect "$W: quit" F "EXIT=0"
done

# ---- a Chinese locale alone (no LANGUAGE, no --lang), when it is installed
# (make deps and CI generate zh_CN.UTF-8 with tests/setup-locales.sh) -------
if locale -a 2>/dev/null | grep -qix 'zh_CN.utf8'; then
	start 80 24 LANGUAGE= LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 -- --tui
	expect "zh_CN.UTF-8 locale: Chinese" F "RNN：第 1/7 个串行步骤"
	fits 80 "zh_CN.UTF-8 locale"
	keys q
	expect "zh_CN.UTF-8 locale: quit" F "EXIT=0"
else
	echo "SKIP: zh_CN.UTF-8 is not installed (make deps generates it)"
fi

e2e_summary zh
