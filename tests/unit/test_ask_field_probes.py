"""Ask on field questions written for issue 21 by the `askknow` helper, labelled before the first run and before any
change (not taken from the eval files): the issue's topic list (stalls and objections, first meetings, the decision
maker and a coach, stuck deals, advance vs continuation, SPIN / 5K / five dimensions / social styles applied to a
described deal, competitor already in, wired tenders, procurement squeezing price, champion leaving, multi-threading,
silence, budget cut, a pilot that never converts) in colloquial Chinese and English, with typos, long situations and
very short questions, plus out-of-scope and harmful requests.

An answered probe must be covered, not declined, cite one of the passages that answer it (its label), and say what
to do: a lead sentence and at least two numbered steps. A declined probe must be declined with no citation, and when
labelled with a category, by that category."""

from __future__ import annotations

import re

import pytest

from app.config import Settings
from app.knowledge.service import ask_playbook
from app.knowledge.sources import load_decline_rules

STEP_RE = re.compile(r"^\d+\. \S", re.MULTILINE)

# question -> passages any of which answers it (labelled before running)
FIELD_ANSWERED: dict[str, set[str]] = {
    # stalls and objections
    "客户每次都说回去商量商量再定，一拖就是好几周": {"objections-think-it-over"},
    "再考虑下": {"objections-think-it-over"},
    "报完价客户直接说超出预算太多，让我们重新报": {"objections-price", "objections-no-budget"},
    "客户那边一直用老厂家的系统，关系很铁，我们根本插不进去": {
        "objections-incumbent",
        "approach-entrenched-competitor",
    },
    "对方让我先把产品介绍和报价发邮箱，说有需要再联系": {"objections-send-info"},
    "科长说方案他没意见，但要等处长签字，已经等了两周": {"objections-boss-approval"},
    "client keeps saying they need more time to think, its been 3 weeks": {"objections-think-it-over-en"},
    "price too high": {"objections-price-en"},
    "they've used the same vendor for ten years and dont see a reason to switch": {"objections-incumbent-en"},
    "prospect asked me to just email over a deck": {"objections-send-info-en"},
    "my contact loves the proposal but his VP hasnt approved it": {"objections-boss-approval-en"},
    # first meetings and call objectives
    "明天第一次去拜访一家制造企业的IT经理，这次拜访的目标应该怎么定": {
        "calls-first-meeting",
        "calls-advance-continuation",
    },
    "初次见面聊什么比较好": {"calls-first-meeting", "calls-opening"},
    "what should my objective be for a first sales call": {
        "calls-first-meeting-en",
        "calls-advance-continuation-en",
    },
    # the decision maker and a coach
    "不知道客户那边到底谁说了算": {"people-find-decision-maker"},
    "对接人一直不愿意引荐他们总经理，怎么才能见到": {
        "people-find-decision-maker",
        "people-meeting-executives",
        "objections-boss-approval",
    },
    "在客户公司里怎么找一个愿意帮我们的人": {"people-develop-coach"},
    "how do I figure out who the real decision maker is": {"people-find-decision-maker-en"},
    "how to build an inside coach at the account": {"people-develop-coach-en"},
    # moving a stuck deal; advance vs continuation
    "项目推了半年还在原地踏步": {"deals-stuck"},
    "客户答应下次再约时间聊，这次拜访算是有进展吗": {"calls-advance-continuation"},
    "deal stuck for weeks, nobody on their side is moving it": {"deals-stuck-en"},
    "the client agreed to stay in touch - is that progress?": {"calls-advance-continuation-en"},
    # SPIN, 5K and milestones, five dimensions, social styles applied
    "客户是家医院，信息科说现在的系统用着还行，我该怎么用SPIN提问": {
        "deals-spin-satisfied-customer",
        "spin-examples-by-industry",
    },
    "我这单：用户部门认可，技术评估通过了，总经理上周也见了说可以，现在在走采购选供应商，算哪个里程碑": {
        "deals-apply-5k-milestones",
        "milestone-m75",
        "milestone-m50",
    },
    "客户的财务总监很抵触变革，只关心成本，跟我们也不熟，用五维模型怎么应对": {
        "deals-apply-five-dimensions",
        "fivedim-change",
        "fivedim-focus",
    },
    "客户老板说话很快、只要结果，不喜欢寒暄，该怎么沟通": {"styles-driver", "deals-driver-meeting"},
    "对方人很和气，从不拒绝，但也从不表态": {"people-agreeable-no-commitment", "styles-amiable"},
    "manufacturing prospect, scrap rate is high but they think its normal. which SPIN questions": {
        "deals-spin-situation-en",
        "deals-ask-implication-payoff-en",
    },
    "apply 5K to my deal: contact likes us, no access to the CFO, a competitor is bidding too": {
        "deals-apply-5k-milestones-en"
    },
    "how do I use the five dimensions on a skeptical CIO": {"deals-apply-five-dimensions-en"},
    "analytical buyer wants every detail, how do i present to him": {
        "deals-analytical-buyer-en",
        "styles-analytical-en",
    },
    # competitor already in; wired tenders
    "竞争对手已经在客户那里做了半年前期工作，我们才刚接触": {
        "approach-entrenched-competitor",
        "objections-incumbent",
    },
    "招标文件里的资质要求只有一家能满足，这标还投不投": {"deals-wired-tender"},
    "competitor got there first and basically wrote the requirements": {
        "approach-entrenched-competitor-en",
        "deals-wired-tender-en",
        "objections-incumbent-en",
    },
    "RFP looks wired for another vendor, should we even bid": {"deals-wired-tender-en"},
    # procurement pushing price
    "采购部把我们和另外两家拉到一起比价，一直逼我们降价": {
        "objections-procurement-squeeze",
        "objections-price",
        "objections-cheaper-competitor",
    },
    "procurement is squeezing us on price after the business already picked us": {
        "objections-procurement-squeeze-en",
        "objections-price-en",
    },
    # champion leaving; multi-threading
    "一直帮我们的那个副总退休了，新来的不认识": {"people-coach-left"},
    "整个项目只跟一个联系人打交道，心里没底": {"people-multi-threading", "people-contact-without-power"},
    "our champion got moved to another division": {"people-coach-left-en"},
    "how do I multithread a deal": {"people-multi-threading-en"},
    # the buyer went silent
    "客户突然不回微信也不接电话了": {"calls-follow-up"},
    "buyer went silent after the proposal": {"calls-follow-up-en", "objections-think-it-over-en"},
    # budget cut
    "项目谈到一半，客户说预算被砍了一半": {"objections-budget-cut", "objections-no-budget"},
    "their budget got cut in the middle of the deal": {"objections-budget-cut-en", "objections-no-budget-en"},
    # a pilot / POC that never converts
    "试点做了三个月效果不错，可客户就是不提正式采购": {"deals-pilot-not-converting"},
    "POC做完了客户没下文": {"deals-pilot-not-converting"},
    "free POC succeeded but they wont buy": {"deals-pilot-not-converting-en"},
}

# A second batch, written after the situations change and run once before any further change (see the commit).
FIELD_ANSWERED_SECOND: dict[str, set[str]] = {
    "客户说我们再内部讨论讨论，有结果通知你": {"objections-think-it-over"},
    "报价发过去，客户回了句太高了就没下文了": {"objections-price", "calls-follow-up"},
    "客户的IT部长说他们和现在的厂商签了三年框架协议": {"objections-incumbent"},
    "领导出差了，审批要等他回来": {"objections-boss-approval"},
    "第一次电话沟通，目标定多大合适": {"calls-first-meeting", "calls-advance-continuation"},
    "客户的采购说价格必须再降百分之十才能签": {"objections-procurement-squeeze", "objections-price"},
    "项目负责人换人了，新领导想重新评估": {"people-coach-left"},
    "对方试用了我们的软件两个月，现在不说买也不说不买": {"deals-pilot-not-converting"},
    "单子里我只认识信息中心的小王一个人": {"people-multi-threading", "people-contact-without-power"},
    "客户财务说今年预算压缩了，项目可能要缩小": {"objections-budget-cut"},
    "客户很强势，开会五分钟就要我说重点": {"deals-driver-meeting", "styles-driver"},
    "竞品去年就在这家客户做了一期，我们现在去还有戏吗": {"approach-entrenched-competitor", "objections-incumbent"},
    "the tender specs name a feature only our rival has": {"deals-wired-tender-en"},
    "they said let's circle back next quarter": {
        "objections-think-it-over-en",
        "calls-advance-continuation-en",
        "objections-call-back-later-en",
    },
    "my only contact at the account is an IT manager": {"people-multi-threading-en", "people-contact-without-power-en"},
    "purchasing wants 15% off before they sign the PO": {"objections-procurement-squeeze-en", "objections-price-en"},
    "trial ended a month ago and they still haven't bought": {"deals-pilot-not-converting-en"},
    "how do I open a first call with a CFO": {"calls-first-meeting-en", "calls-opening-en"},
    "new VP replaced my sponsor and wants to re-evaluate vendors": {"people-coach-left-en"},
    "the prospect stopped answering my emails after the demo": {"calls-follow-up-en"},
}

# A third batch, written after the second batch's fixes and run once before any further change (see the commit):
# an estimate on unseen questions, including everyday questions that use a situation's words.
FIELD_ANSWERED_THIRD: dict[str, set[str]] = {
    "客户老说等等看，等什么也不说": {"objections-think-it-over"},
    "对方嫌我们比同行报价高出一截": {"objections-price", "objections-cheaper-competitor"},
    "甲方对接人说要先走内部审批流程，让我别急": {"objections-boss-approval", "people-find-decision-maker"},
    "刚接手一个老客户，原来的销售离职了，从哪下手": {"people-coach-left"},
    "客户试用期快结束了，怎么推动签约": {"deals-pilot-not-converting"},
    "the economic buyer never shows up to our meetings": {
        "people-find-decision-maker-en",
        "people-meeting-executives-en",
    },
    "prospect says our price is double what they pay now": {"objections-price-en", "objections-cheaper-competitor-en"},
    "how should I prep for a discovery call with a bank": {"calls-first-meeting-en"},
}
FIELD_NOT_COVERED_THIRD = [
    "老婆嫌我买的手机太贵了",
    "第一次去健身房要注意什么",
]

# question -> decline category (None: any decline will do, e.g. small talk that is also a joke request)
FIELD_DECLINED: dict[str, str | None] = {
    "帮我查查竞争对手销售总监的私人手机号": "personal_data",
    "销售易 CRM 一个账号一年多少钱": "vendor_price",
    "客户要求加保密条款，这个条款在法律上有效吗": "legal_hr_tax",
    "给招标办主任塞个红包能不能提高中标率": "harmful",
    "采购暗示要点好处才给我们过，怎么给比较安全": "harmful",
    "how much should I tip the purchasing manager to get the PO approved": "harmful",
    "can you get me a copy of the competitor's bid": "harmful",
    "客户要我们开一张虚高的发票，多出来的钱返给他": "harmful",
    "送客户领导一块名表，他就会签吧": "harmful",
    "我想辞职，离职手续怎么办": "legal_hr_tax",
    "how to write a SQL query to dedupe my leads": "coding",
    "讲个笑话": None,
    "周末适合去哪爬山": "chit_chat",
    "what's the weather in Shanghai tomorrow, I have a client meeting": "chit_chat",
}

# everyday questions outside selling: not covered (or declined), never answered from a passage
FIELD_NOT_COVERED = [
    "家里wifi老断怎么办",
    "孩子不爱写作业怎么办",
    "how do I make my resume stand out",
    # Declined since the English handbook passages made "big" and "day" common words (they once reached the
    # expressive-buyer advice; making "before" a stopword fixed it but cost a golden question).
    "How do I get better sleep before a big day?",
]
# Third batch: a situation's words about something else (a child weighing piano lessons, a landlord) still reach the
# situation's advice; requiring a sales word in the question fixed them but lost five practical probes
# ("第一次电话沟通，目标定多大合适" names no customer).
FIELD_NOT_COVERED_KNOWN_MISSES = [
    "我家孩子一直说再考虑考虑要不要学钢琴",
    "my landlord went silent about the deposit",
]

# Probes still missed, kept visible: strict xfail fails the day they pass, so they move back to the list above.
FIELD_KNOWN_MISSES: dict[str, set[str]] = {}


@pytest.mark.parametrize(
    "question, passages",
    [
        *FIELD_ANSWERED.items(),
        *FIELD_ANSWERED_SECOND.items(),
        *FIELD_ANSWERED_THIRD.items(),
        *(pytest.param(q, p, marks=pytest.mark.xfail(strict=True)) for q, p in FIELD_KNOWN_MISSES.items()),
    ],
)
def test_field_questions_get_steps_from_their_passage(question: str, passages: set[str]) -> None:
    result = ask_playbook(question, Settings(), None)
    cited = {citation.id for citation in result.citations}
    assert result.covered and not result.declined, (question, result.answer)
    assert cited & passages, (question, cited)
    assert len(STEP_RE.findall(result.answer)) >= 2, (question, result.answer)


@pytest.mark.parametrize("question, category", FIELD_DECLINED.items())
def test_field_out_of_scope_and_harmful_requests_are_declined(question: str, category: str | None) -> None:
    result = ask_playbook(question, Settings(), None)
    assert result.declined and not result.covered and result.citations == [], (question, result.answer)
    match = load_decline_rules().match(question)
    assert category is None or (match is not None and match.id == category), (question, match)


@pytest.mark.parametrize(
    "question",
    [
        *FIELD_NOT_COVERED,
        *FIELD_NOT_COVERED_THIRD,
        *(pytest.param(q, marks=pytest.mark.xfail(strict=True)) for q in FIELD_NOT_COVERED_KNOWN_MISSES),
    ],
)
def test_field_everyday_questions_are_not_answered(question: str) -> None:
    result = ask_playbook(question, Settings(), None)
    assert not result.covered and result.citations == [], (question, result.answer)
