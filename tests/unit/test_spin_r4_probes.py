"""Probes for SPIN classes the round-4 tune half showed (issue 15, item 3), written in our own wording, zh and en,
before the change that fixes them. Labelling conventions: a compound question takes its most advanced part; questions
about the buying process, stakeholders and their criteria are Situation; an offer to send or show something is not a
question about the buyer ("other"); "if it goes on / if you can't…, what would it mean?" is an Implication."""

from __future__ import annotations

import pytest

from app.coaching.spin import classify_spin

# A turn with several questions: the most advanced one decides.
COMPOUND = [
    ("仓库现在有几个人在管账？月底盘点的时候账实对不上的情况多吗？", "P"),
    ("门店收银用的是哪家的系统？高峰期结账排长队，顾客抱怨过吗？", "P"),
    ("你们调度一共几个人？排班表出过错没有？", "P"),
    ("护士站现在有几台电脑？交班的时候漏交待的事情多不多？", "P"),
    ("What do your planners use to build the weekly schedule? How often does it fall apart midweek?", "P"),
    ("Who keeps the asset register today? And do records ever go missing after an inspection?", "P"),
    ("How many service vans do you run? When one breaks down, what happens to the jobs booked that day?", "I"),
]

# The buying process, the people involved and what they will judge on: Situation.
BUYING_PROCESS = [
    ("财务总监那边，他最看重供应商的哪几点？", "S"),
    ("这次评标，评委们各自会更在意哪些方面？", "S"),
    ("信息中心主任拍板之前，一般会想看到什么材料？", "S"),
    ("What will the procurement committee weigh most when they compare bids?", "S"),
    ("What would your CFO want to see before she signs off on this?", "S"),
    ("Which criteria will the steering group use to pick a vendor?", "S"),
]

# How often the difficulty itself happens, or the biggest one: Problem (what it does to something else is an
# Implication).
PROBLEM_SIZE = [
    ("上个季度冷库的制冷机组报了几次故障？", "P"),
    ("今年到现在，配送系统宕机过多少回？", "P"),
    ("How often do the scanners drop their connection on the ward?", "P"),
    ("What is the biggest scheduling headache your office has right now?", "P"),
]

# How much of something the difficulty already takes away (the size of the loss itself): Problem.
LOSS_SIZE = [
    ("这半年转走的存款大概有多少？", "P"),
    ("上个月退货的订单一共有几单？", "P"),
    ("How many members have stopped coming in over the last six months?", "P"),
]

# A requirement someone puts on the buyer: Situation, like the buying criteria.
REQUIREMENTS = [
    ("And the new franchise partners, what are they asking for on reporting?", "S"),
]

# A request for the buying process put as a statement after a greeting ("想了解一下…", "I'd like to understand…"):
# it asks, so it is a Situation question, not small talk.
INDIRECT_BUYING_PROCESS = [
    ("周总好，我们刚接触这个项目，想了解一下这次招标的时间安排。", "S"),
    ("Hi Mr Chen, I'd like to understand how the vendor selection will run this year.", "S"),
    ("Morning. I was wondering who else will have a say in the final decision.", "S"),
]

# A terse check whether part of the current way works ("Backups ok?"): Problem; a time proposed or "that" agreed to is
# not one.
TERSE_CHECKS = [
    ("Backups ok?", "P"),
    ("Supplier deliveries reliable these days?", "P"),
    ("每天的备份都正常吗？", "P"),
    ("Is that ok?", "other"),
]

# A problem that persists or a requirement missed, asked for its consequence: Implication.
IMPLICATION_CONDITIONALS = [
    ("If your team can't close the books on time again this quarter, what would that mean for the audit?", "I"),
    ("If on-time delivery stays where it is, what does that do to your contract renewals?", "I"),
    ("Suppose the regulator's deadline passes and you still cannot produce the report, what then?", "I"),
]

# The seller offers to send, show or bring something: not a question about the buyer.
OFFERS = [
    ("Would it help if I emailed you a two-page summary before Friday's meeting?", "other"),
    ("Would it be useful if we sent over the reference list from other hospitals?", "other"),
    ("要不我先把同类银行的案例整理一份发您看看？", "other"),
    ("您先在合作备忘录上签个字，细节我们后面再补，行吧？", "other"),
]


@pytest.mark.parametrize(
    "line, label",
    COMPOUND
    + TERSE_CHECKS
    + BUYING_PROCESS
    + INDIRECT_BUYING_PROCESS
    + PROBLEM_SIZE
    + LOSS_SIZE
    + REQUIREMENTS
    + IMPLICATION_CONDITIONALS
    + OFFERS,
)
def test_r4_class_probe(line, label):
    assert classify_spin(line).label == label
