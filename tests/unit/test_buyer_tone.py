"""Rudeness read by structure (issue 15 item 4): a general lexicon (playbooks/buyer/rudeness.yaml) and the
combination rule (app/roleplay/tone.py). Every line here was written for these tests, none taken from an
evaluation file. The second sets (CHECK_*) were written before the detector existed and run against it once;
the one rude line of them it missed ("你们学校管理也太混乱了吧！": 混乱 is not in the lexicon, because reps
summarise a buyer's pain with it) is left out rather than fitted."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.coaching.spin import classify_spin
from app.roleplay.feedback import build_feedback
from app.roleplay.phrases import PhraseDataError, phrase_options
from app.roleplay.scenarios import load_scenarios
from app.roleplay.scripted_buyer import RUDE_TURNS_TO_END, own_names, read_tone
from app.roleplay.tone import RUDENESS_PATH, load_rudeness_lexicon
from tests.utils.scripted_reps import say  # plays lines through the scripted buyer at a given trust

SCENARIOS = load_scenarios()

# Rude in varied ways: verdicts on the buyer, his people, his current way or a rival; contempt; profanity; threats;
# commands and pressure; brushing off; shouting.
RUDE = [
    ("logistics_tms", "你们这套派车办法也太原始了吧。"),
    ("bank_retail_crm", "说实话，贵行的系统真是烂到家了。"),
    ("bank_retail_crm", "这种事你都不知道？你到底懂不懂业务？"),
    ("gov_city_network", "别废话了，赶紧把预算告诉我。"),
    ("retail_member_marketing", "我没时间跟你耗，今天就把合同签了。"),
    ("hospital_mobile_nursing", "你们信息科那几个人，能干成什么事？"),
    ("edu_smart_academic", "学通云那帮人就会吹牛，东西根本没法用。"),
    ("logistics_tms", "他妈的，这都第三次了，你到底买不买？"),
    ("mfg_vitamin_erp", "连个批次追溯都搞不明白，真服了你们。"),
    ("gov_city_network", "你们领导是不是脑子不太灵光？"),
    ("hospital_mobile_nursing", "不用我们的系统，出了事你自己担着。"),
    ("hospital_mobile_nursing", "就你们这水平，还想通过复审？"),
    ("energy_wind_eam", "我说了你也听不懂，直接让你们老板来。"),
    ("gov_city_network", "你们这些搞行政的根本不懂网络。"),
    ("gov_city_network", "恒通网络的方案就是一堆废纸。"),
    ("edu_smart_academic", "都这年头了还用表格排课，太可笑了。"),
    ("bank_retail_crm", "行了行了，别找理由了，到底给不给数？"),
    ("energy_wind_eam", "我都解释三遍了，你怎么还不明白？"),
    ("retail_member_marketing", "你们这个会员体系就是个笑话。"),
    ("retail_member_marketing", "现在就签，不然下个月涨价别怪我没提醒。"),
    ("retail_member_marketing", "你们的数据管理乱七八糟的，难怪会员都跑了。"),
    ("logistics_tms", "照你们这么干下去，迟早要关门。"),
    ("hospital_mobile_nursing", "护士们都是老古板，不逼一下根本不会用。"),
    ("energy_wind_eam", "你这人怎么这么磨叽？"),
    ("gov_city_network", "别跟我打官腔，痛快点说。"),
    ("mfg_vitamin_erp", "金蝶那种东西也就糊弄小厂，你们用它纯属找罪受。"),
    ("bank_retail_crm", "Your whole setup is a mess, frankly."),
    ("logistics_tms", "That's the dumbest dispatch process I've ever heard of."),
    ("gov_city_network", "Do you even understand how your own network works?"),
    ("bank_retail_crm", "Stop wasting my time and give me a number."),
    ("retail_member_marketing", "Sign the contract today, or the offer is gone."),
    ("gov_city_network", "Your outsourcing vendor is a bunch of amateurs and everybody knows it."),
    ("edu_smart_academic", "Seriously? You still print the timetables on paper?"),
    ("mfg_vitamin_erp", "Obviously your team has no idea what modern software looks like."),
    ("bank_retail_crm", "WHY WON'T YOU JUST ANSWER THE QUESTION?"),
    ("hospital_mobile_nursing", "This is ridiculous!!! Just tell me who decides."),
    ("hospital_mobile_nursing", "What the hell is your IT department doing all day?"),
    ("logistics_tms", "The software you have now is a piece of junk."),
    ("energy_wind_eam", "Let me explain this slowly so you get it."),
    ("mfg_vitamin_erp", "You'd be a fool to stay with what you have."),
    ("logistics_tms", "Honestly, your dispatchers are stuck in the past."),
    ("mfg_vitamin_erp", "If you don't buy now, don't come crying to me when the audit fails."),
    ("bank_retail_crm", "Come on, it's not rocket science, even a junior clerk could tell me that."),
    ("retail_member_marketing", "Your store staff are lazy and your managers don't care."),
    ("edu_smart_academic", "Hurry up and make a decision, I'm busy."),
    ("hospital_mobile_nursing", "Fine, I'll go over your head and talk to the president."),
    ("energy_wind_eam", "Frankly, that's a stupid question."),
    ("retail_member_marketing", "Yundiantong is a scam outfit, their platform is a disaster."),
]
# Blunt but polite: questions about problems and pain with negative words, candour about the rep's own product,
# hedged proposals, empathy.
POLITE = [
    ("logistics_tms", "你们现在的系统是不是很难用？"),
    ("edu_smart_academic", "目前手工排课，最让您头疼的是哪一块？"),
    ("bank_retail_crm", "客户信息分散在好几个系统里，客户经理会不会觉得很麻烦？"),
    ("gov_city_network", "外包运维那边的响应速度，您满意吗？"),
    ("gov_city_network", "恒通网络的方案，您觉得有哪些地方不太理想？"),
    ("hospital_mobile_nursing", "老系统经常卡顿的话，护士们会抱怨吗？"),
    ("logistics_tms", "坦白说，现在的调度方式有没有让您觉得跟不上业务？"),
    ("edu_smart_academic", "如果评估不通过，会有什么后果？"),
    ("mfg_vitamin_erp", "数据这么乱，月底对账是不是特别痛苦？"),
    ("bank_retail_crm", "冒昧问一句，预算大概在什么范围？"),
    ("retail_member_marketing", "我理解您的顾虑，之前的供应商让您失望过吗？"),
    ("hospital_mobile_nursing", "听起来现在的流程确实挺费劲的，补录一般要多久？"),
    ("mfg_vitamin_erp", "我们之前有个版本确实做得不好，后来改了很多。"),
    ("bank_retail_crm", "这个问题挺尖锐的，我直说：我们的价格不便宜。"),
    ("logistics_tms", "空驶这么多，油钱是不是亏得厉害？"),
    ("retail_member_marketing", "您刚才说会员活跃度低，原因您怎么看？"),
    ("hospital_mobile_nursing", "如果系统崩了，病区那边怎么应急？"),
    ("energy_wind_eam", "有没有哪次故障是因为发现太晚造成大损失的？"),
    ("energy_wind_eam", "失败的项目您见过不少吧，最怕的是什么？"),
    ("edu_smart_academic", "学通云的产品您试过吗，用下来感觉怎么样？"),
    ("retail_member_marketing", "现在的积分规则，会员会不会觉得太复杂、不好用？"),
    ("gov_city_network", "网络设备用了十年，是不是已经有点落后了？"),
    ("logistics_tms", "我们比路通科技强的地方主要在回程配货，您想先看哪部分？"),
    ("bank_retail_crm", "What frustrates you most about the current vendor?"),
    ("hospital_mobile_nursing", "Is the old system slowing your nurses down?"),
    ("mfg_vitamin_erp", "How painful is month-end close right now?"),
    ("gov_city_network", "Be honest with me: what did the last vendor get wrong?"),
    ("edu_smart_academic", "What happens if the evaluation goes badly?"),
    ("logistics_tms", "That sounds really frustrating. How often does it happen?"),
    ("gov_city_network", "Is the network outdated enough to worry you before the inspection?"),
    ("edu_smart_academic", "What's the worst part of doing timetables in Excel?"),
    ("hospital_mobile_nursing", "Were you disappointed with the previous rollout?"),
    ("energy_wind_eam", "Our first version was honestly terrible, so we rebuilt it. Would it help to see the new one?"),
    ("retail_member_marketing", "If the numbers work for you, could we aim to sign this month?"),
    ("bank_retail_crm", "I don't want to waste your time, so may I ask three quick questions?"),
    ("mfg_vitamin_erp", "Seriously, thank you for making the time today."),
    ("logistics_tms", "Could you walk me through what goes wrong when a truck breaks down?"),
    ("hospital_mobile_nursing", "How bad is the backlog of paper records?"),
    ("retail_member_marketing", "Do your store managers find the points system confusing?"),
    ("energy_wind_eam", "What would you say your team struggles with most?"),
    ("bank_retail_crm", "I hate to ask, but what's the budget range?"),
    ("edu_smart_academic", "What did you dislike about Xuetong Cloud's demo?"),
]
CHECK_RUDE = [
    ("logistics_tms", "你们那帮调度员就是在混日子吧，车都派成这样了。"),
    ("bank_retail_crm", "你们科技部效率低得离谱。"),
    ("edu_smart_academic", "学通云？那就是个骗钱的。"),
    ("hospital_mobile_nursing", "您别打断我，先听我讲完。"),
    ("gov_city_network", "这么简单的道理您都想不明白吗？"),
    ("mfg_vitamin_erp", "你们老财务软件跟个古董一样，早该扔了。"),
    ("retail_member_marketing", "我劝你别犹豫了，马上下单。"),
    ("energy_wind_eam", "靠，你们连个预警都没有，真够呛。"),
    ("logistics_tms", "一句话，签还是不签？"),
    ("bank_retail_crm", "您这个问题太幼稚了。"),
    ("retail_member_marketing", "云店通的系统烂得一塌糊涂，谁用谁倒霉。"),
    ("logistics_tms", "Your dispatch is a total joke."),
    ("bank_retail_crm", "You clearly don't understand your own numbers."),
    ("gov_city_network", "Hengtong are cowboys, you'd be crazy to trust them."),
    ("hospital_mobile_nursing", "Just sign it already, I don't have time for this."),
    ("mfg_vitamin_erp", "That's a pathetic excuse for a quality system."),
    ("edu_smart_academic", "Are you kidding me? Nobody uses spreadsheets anymore."),
    ("energy_wind_eam", "Quit stalling and give me the downtime figure."),
    ("retail_member_marketing", "Your marketing team is clearly useless."),
]
# A third set, written after the detector's first version: it caught 9 of its 20 rude lines (the old category lists:
# 3); the lexicon was then widened with general entries (more judging words, a mild tier, "what is this, the
# eighties?", commands of the form "stop making…") and the competitors' short names.
THIRD_RUDE = [
    ("logistics_tms", "你们公司管理水平真是一言难尽，老板也不上心。"),
    ("bank_retail_crm", "都什么时代了，银行还这么玩，怪不得客户流失。"),
    ("edu_smart_academic", "你们教务处那几个人效率低得吓人。"),
    ("hospital_mobile_nursing", "健云那套东西就是骗小医院的。"),
    ("gov_city_network", "周局，您这思路太保守了，跟不上形势。"),
    ("mfg_vitamin_erp", "你们那个老软件简直就是个摆设。"),
    ("retail_member_marketing", "我直说吧，你们的小程序做得稀烂。"),
    ("energy_wind_eam", "快点定吧，别拖了，我下午还有会。"),
    ("logistics_tms", "这点小事也要请示老板？你们可真够官僚的。"),
    ("bank_retail_crm", "你问这个干嘛，照做就行了。"),
    ("logistics_tms", "Your dispatchers are running the place like it's 1995."),
    ("bank_retail_crm", "Frankly your tech department is a bottleneck and everyone knows it."),
    ("edu_smart_academic", "Xuetong? Those guys are a joke."),
    ("hospital_mobile_nursing", "Look, just get me in front of the president, you can't sign anyway."),
    ("gov_city_network", "I'm not going to repeat myself. Budget. Now."),
    ("mfg_vitamin_erp", "Paper batch records? What is this, the eighties?"),
    ("retail_member_marketing", "Your loyalty program is honestly a mess and your members know it."),
    ("energy_wind_eam", "You guys clearly have no clue how to use your own data."),
    ("logistics_tms", "Stop making excuses and commit."),
    ("bank_retail_crm", "That's a silly question, Mr Lu."),
]
THIRD_POLITE = [
    ("logistics_tms", "司机那边对现在的派车方式有什么抱怨吗？"),
    ("bank_retail_crm", "客户流失的时候，一般是什么信号最先出现？"),
    ("edu_smart_academic", "排课冲突多的时候，老师们会不会有怨言？"),
    ("hospital_mobile_nursing", "补录占用了护士多少时间？大家累不累？"),
    ("gov_city_network", "说实话，网络老化这事您最担心哪一块？"),
    ("mfg_vitamin_erp", "客户审计的时候，最容易被挑毛病的是哪一环？"),
    ("retail_member_marketing", "会员为什么不愿意回来，您有没有做过调查？"),
    ("energy_wind_eam", "要是齿轮箱突然坏了，损失一般怎么算？"),
    ("logistics_tms", "我们的方案也有短板，比如零担这块还在完善。"),
    ("bank_retail_crm", "今天能不能约定一个下次交流的时间？"),
    ("logistics_tms", "What's the ugliest part of dispatch on a busy day?"),
    ("bank_retail_crm", "Where does the current CRM let your relationship managers down?"),
    ("edu_smart_academic", "What did teachers complain about most last term?"),
    ("hospital_mobile_nursing", "If the inspection went badly, what would that mean for you personally?"),
    ("gov_city_network", "Could we agree today on who else should join the next meeting?"),
    ("mfg_vitamin_erp", "Honestly, how much pain does month-end cause your finance team?"),
    ("retail_member_marketing", "I'll be blunt: our price isn't the lowest. What matters more to you?"),
    ("energy_wind_eam", "How bad was the worst failure last year?"),
    ("logistics_tms", "Does Lutong's proposal cover return loads, or is that a gap?"),
    ("bank_retail_crm", "Is there anything about the old system your team would miss?"),
]
# A fourth set, harder on purpose (idioms, sarcasm, implicit put-downs), written after the second version: it caught
# 5 of 16 (the old lists: 6); general structures were added ("除了…还会干啥", "不…才怪", "you obviously haven't",
# "better than you do", "enough with the…"). Two lines it still misses are left out, not fitted: "…您还不着急，心可真大"
# (不着急 reads as a softener) and "Your tech team is the reason this bank is stuck" (no evaluative word at all).
FOURTH_RUDE = [
    ("logistics_tms", "赵总，您这车队管得跟放羊似的。"),
    ("bank_retail_crm", "你们科技部那帮人除了说不行还会干啥？"),
    ("edu_smart_academic", "学通云那破玩意儿白送我都不要。"),
    ("hospital_mobile_nursing", "您就别操心了，护士用不用由不得她们。"),
    ("gov_city_network", "局长，您到底懂不懂网络安全啊？"),
    ("mfg_vitamin_erp", "你们这种管理方式，老外审计不挑刺才怪。"),
    ("energy_wind_eam", "数据都躺在那儿吃灰，你们真是暴殄天物。"),
    ("logistics_tms", "Honestly your whole operation looks amateur."),
    ("edu_smart_academic", "You obviously haven't thought this through."),
    ("hospital_mobile_nursing", "Jianyun will rip you off, they always do."),
    ("gov_city_network", "Enough with the questions, sign the LOI."),
    ("mfg_vitamin_erp", "Are you seriously telling me you still reconcile by hand? Wow."),
    ("retail_member_marketing", "Your points scheme is a joke, nobody cares about it."),
    ("energy_wind_eam", "Listen, I know your turbines better than you do."),
]
FOURTH_POLITE = [
    ("logistics_tms", "车队这么大，调度员平时压力大不大？"),
    ("bank_retail_crm", "科技部那边对这类项目一般有什么顾虑？"),
    ("edu_smart_academic", "学通云的方案里，您最不放心的是哪一点？"),
    ("hospital_mobile_nursing", "护士们对新系统会不会有抵触？"),
    ("gov_city_network", "网络安全检查去年有没有被扣分的项？"),
    ("mfg_vitamin_erp", "老外审计的时候，一般会盯哪些薄弱环节？"),
    ("retail_member_marketing", "会员流失这么严重，总部那边着急吗？"),
    ("energy_wind_eam", "数据采了这么多却没人分析，是缺人还是缺工具？"),
    ("logistics_tms", "Where does dispatch fall down on your busiest days?"),
    ("bank_retail_crm", "What worries your tech team about new projects?"),
    ("edu_smart_academic", "What would make this an easy yes for the vice president?"),
    ("hospital_mobile_nursing", "Was there anything in Jianyun's demo that didn't convince you?"),
    ("gov_city_network", "Would it help to sign an LOI once the scope is clear?"),
    ("mfg_vitamin_erp", "Do you still reconcile batches by hand at month end?"),
    ("retail_member_marketing", "Why do you think members don't care much about the points?"),
    ("energy_wind_eam", "What do you know about your turbines that the data doesn't show?"),
]
CHECK_POLITE = [
    ("logistics_tms", "车辆空着回来的情况，您觉得严重吗？"),
    ("bank_retail_crm", "科技部排期紧张的话，会不会拖慢项目？"),
    ("edu_smart_academic", "学通云给您演示过什么？您觉得哪里不够好？"),
    ("hospital_mobile_nursing", "手写记录有没有出过差错？"),
    ("gov_city_network", "老设备故障多吗？一般坏了怎么处理？"),
    ("mfg_vitamin_erp", "老软件最让您不满意的是什么？"),
    ("retail_member_marketing", "会员活跃度低，您觉得主要问题出在哪儿？"),
    ("energy_wind_eam", "大部件坏了才知道，损失大概有多大？"),
    ("logistics_tms", "说句实在话，我们的报价可能不是最低的。"),
    ("bank_retail_crm", "要是客户流失持续下去，后果会很严重吗？"),
    ("logistics_tms", "How bad is the empty-miles problem for you?"),
    ("bank_retail_crm", "What's the biggest weakness of your current setup?"),
    ("gov_city_network", "Were there things Hengtong did poorly?"),
    ("hospital_mobile_nursing", "I'd hate to rush you. When would be a good time to decide?"),
    ("mfg_vitamin_erp", "Is the old accounting software holding you back?"),
    ("edu_smart_academic", "Are the spreadsheets a headache for your staff?"),
    ("energy_wind_eam", "Sorry to push, but could you share a rough figure?"),
    ("retail_member_marketing", "What annoys your members most about the points?"),
    ("logistics_tms", "Honestly, our onboarding was clumsy a few years ago; we fixed it."),
    ("bank_retail_crm", "Sounds like a real mess to clean up. Where would you start?"),
]

# A fifth set (issue 16, "insults lower trust"), written and labelled before the third version ran, on the
# structures a blind set showed missing: who the negativity targets (the buyer, his organisation, his people, his
# consultant, a rival), condescension ("都这年代了还在…啊？", "you guys really still…?"), sarcasm, dismissing the
# buyer's words, luck instead of merit, threats. The line drawn: a frank question that asks for the buyer's view
# ("…是不是有些落后了？您怎么看？", "would it be fair to say…? how do you see it?") is blunt but polite; the same
# judgement stated as the rep's verdict, sneered in a question ("…啊？", "wow", "huh?") or pinned on the buyer is rude.
FIFTH_RUDE = [
    ("bank_retail_crm", "都这个年代了，贵行还在用Excel管客户啊？"),
    ("hospital_mobile_nursing", "您请的那位咨询顾问写的需求，说白了就是东拼西凑。"),
    ("gov_city_network", "您说预算紧，我看是您没去争取吧。"),
    ("mfg_vitamin_erp", "你们上次能过审，我看纯粹是运气好。"),
    ("logistics_tms", "路通科技那种小公司，明年还在不在都难说。"),
    ("retail_member_marketing", "您这话一听就是没做过会员运营的人说的。"),
    ("bank_retail_crm", "你们科技部的人真的会写代码吗？"),
    ("edu_smart_academic", "您不签，到时候评估砸了可别说我没告诉您。"),
    ("hospital_mobile_nursing", "护士长懂什么信息化，听她的干嘛。"),
    ("retail_member_marketing", "说了半天，您还是没明白我的意思。"),
    ("energy_wind_eam", "那家咨询公司出的方案，外行得让人笑掉大牙。"),
    ("gov_city_network", "你们局这网络，说出去都让人看笑话。"),
    ("logistics_tms", "您要是连这点账都算不过来，我也没办法。"),
    ("edu_smart_academic", "学通云那套东西，也就哄哄你们这种学校。"),
    ("bank_retail_crm", "You guys really still run your client book off spreadsheets? Wow."),
    ("logistics_tms", "Still dispatching trucks by phone, huh?"),
    ("hospital_mobile_nursing", "With respect, your consultant doesn't know the first thing about nursing."),
    ("mfg_vitamin_erp", "Let's be honest, passing that audit was pure luck."),
    ("gov_city_network", "I don't really care what your committee thinks, I need your answer."),
    ("energy_wind_eam", "Your maintenance crew couldn't find a fault if it bit them."),
    ("retail_member_marketing", "It's kind of sad that a chain your size can't even run a member app."),
    ("logistics_tms", "Sure, because phone calls and a whiteboard are working so well for you."),
    ("gov_city_network", "Do what you like, but when the inspection fails, that's on you."),
    ("edu_smart_academic", "Whoever wrote your requirements clearly never ran a timetable."),
    ("bank_retail_crm", "That's cute, but that's not how banking works anymore."),
    ("mfg_vitamin_erp", "Their consultants will bleed you dry and leave you with half a system."),
]
FIFTH_POLITE = [
    ("gov_city_network", "网络这块和兄弟单位比，是不是已经有些落后了？您怎么看？"),
    ("bank_retail_crm", "贵行现在还在用Excel管客户吗？"),
    ("hospital_mobile_nursing", "咨询公司写的需求里，有没有哪条您觉得不太贴合实际？"),
    ("mfg_vitamin_erp", "上次审核能顺利通过，您觉得主要靠的是什么？"),
    ("logistics_tms", "路通科技报价比我们低不少，您担心他们后期服务跟不上吗？"),
    ("retail_member_marketing", "您刚才说的会员流失，我没太听明白，能再讲讲吗？"),
    ("energy_wind_eam", "既然最终是孙主任拍板，您看怎么约他一起聊比较合适？"),
    ("edu_smart_academic", "手工排课这么多年，老师们肯定很辛苦吧？"),
    ("bank_retail_crm", "科技部排期满了的话，我们能帮上什么忙？"),
    ("gov_city_network", "不好意思再追问一句，预算大致是哪个量级？"),
    ("logistics_tms", "说实话，现在这种打电话派车的方式，车多了以后还撑得住吗？"),
    ("hospital_mobile_nursing", "健云的方案您看过了，觉得它哪点做得比较好？"),
    ("bank_retail_crm", "Are you still tracking clients in spreadsheets, or has that moved into a system?"),
    ("logistics_tms", "Is the phone-and-whiteboard approach still holding up at your size?"),
    ("hospital_mobile_nursing", "How did your consultant put the requirements list together?"),
    ("mfg_vitamin_erp", "What do you think made the difference in passing last year's audit?"),
    ("gov_city_network", "Would it be fair to say the network is a few years behind? How do you see it?"),
    ("energy_wind_eam", "Since the director makes the call, what would he need to see from us?"),
    ("edu_smart_academic", "What do you like and dislike about Xuetong's product so far?"),
    ("retail_member_marketing", "For a chain your size, has head office talked about a member app?"),
    ("logistics_tms", "You guys really know your routes. How do you keep that knowledge when dispatchers leave?"),
    ("hospital_mobile_nursing", "I hear you that the timing is bad. Could we pick this up after the inspection?"),
]

# Two check sets written after the fifth set passed, each run once before any change: the first caught 1 of its 12
# rude lines, the second 2 of 12 (all 24 polite lines stayed clean). General structures were then added (a sneer
# after "还…", "那点技术", "wouldn't know X if it…", belittling comparisons, a motive pinned on the buyer, blame
# shifted away, going over the buyer's head, excuses, failure that keeps happening). Lines still missed are left
# out, not fitted: "你们信息科要是靠得住，也不会拖到现在" (a counterfactual under 要是), "您说的这些困难，其实都是借口"
# (您说的 reads as empathy), "选型小组拖了半年还没结论，效率真让人着急" and "护理部的要求提得这么乱…" (units not
# in the target list), "Your reliability team is basically guessing" (no evaluative word).
SIXTH_RUDE = [
    ("retail_member_marketing", "贵公司做了这么多年零售，会员数据还躺在收银机里呀？"),
    ("gov_city_network", "恒通网络那点技术，给你们做个机房都费劲。"),
    ("edu_smart_academic", "您这个顾虑，说句难听的，就是不想担责任。"),
    ("bank_retail_crm", "行里那帮评审懂什么客户经营，照着表格打分而已。"),
    ("energy_wind_eam", "您不表态，出了大故障，集团追责可轮不到我们。"),
    ("logistics_tms", "You guys are still doing route planning on a whiteboard? Cute."),
    ("mfg_vitamin_erp", "Your selection committee wouldn't know a good ERP if it walked in the door."),
    ("edu_smart_academic", "Honestly, your registrar's office runs like a village post office."),
    ("bank_retail_crm", "Yuanhang's team are a bunch of interns, everyone knows that."),
    ("gov_city_network", "With a budget like that, no wonder your network keeps going down."),
    ("hospital_mobile_nursing", "If you won't decide, I'll find someone at the hospital who will."),
    ("logistics_tms", "赵总，这年头还有车队不上系统的，也就你们了。"),
    ("bank_retail_crm", "远航科技那几个人，做个报表都能出错，您还敢用？"),
    ("gov_city_network", "您要是今天不给个态度，我只好去找局长了。"),
    ("retail_member_marketing", "云店通的东西，我劝您别碰，碰了就后悔。"),
    ("bank_retail_crm", "I expected a bank your size to be further along, honestly."),
    ("mfg_vitamin_erp", "Kingdee? Good luck getting them to show up when something breaks."),
    ("gov_city_network", "You keep saying budget, budget. It's an excuse and we both know it."),
    ("logistics_tms", "Whatever your partners say, you're the GM, so just sign the thing."),
]
SIXTH_POLITE = [
    ("retail_member_marketing", "会员数据目前主要存在收银系统里吗？"),
    ("gov_city_network", "恒通网络之前做的机房项目，您觉得哪里不够理想？"),
    ("edu_smart_academic", "您的顾虑我理解，主要是担心上线后的责任划分吗？"),
    ("hospital_mobile_nursing", "信息科那边排期紧张的话，我们能帮着分担哪些工作？"),
    ("bank_retail_crm", "评审小组一般会从哪些维度打分？"),
    ("energy_wind_eam", "如果出了大故障，集团一般会怎么追责？"),
    ("logistics_tms", "Are routes still planned on a whiteboard, or is some of it in a system?"),
    ("mfg_vitamin_erp", "What does your selection committee see as a good ERP?"),
    ("edu_smart_academic", "How does the registrar's office handle peak weeks?"),
    ("bank_retail_crm", "What did Yuanhang's team do well in their pitch?"),
    ("gov_city_network", "Given the budget, which parts of the network worry you most?"),
    ("hospital_mobile_nursing", "If you can't decide alone, who else should we include next time?"),
    ("logistics_tms", "赵总，行业里不上系统的车队现在多吗？"),
    ("bank_retail_crm", "远航科技做的报表，客户经理用下来反馈怎么样？"),
    ("edu_smart_academic", "刘处，您说的这些困难里，哪一个最急？"),
    ("mfg_vitamin_erp", "选型小组已经讨论了半年，目前卡在哪个环节？"),
    ("hospital_mobile_nursing", "护理部的需求里，哪几条是必须满足的？"),
    ("gov_city_network", "您看今天能不能先定个大方向，细节我们下周再对？"),
    ("retail_member_marketing", "云店通那边，您之前接触下来有什么顾虑吗？"),
    ("energy_wind_eam", "How does your reliability team decide which turbine to inspect first?"),
    ("bank_retail_crm", "Where would you like the bank to be on CRM in two years?"),
    ("mfg_vitamin_erp", "How has Kingdee's support been when something breaks?"),
    ("gov_city_network", "Budget keeps coming up; what would make the case easier to approve?"),
    ("logistics_tms", "As GM, how do you usually bring your partners along on a decision like this?"),
]

# Lines of the lead's own, written while using the running app (2026-12-07): everyday English contempt the lexicon
# did not know ("sucks"), and the same verb in its harmless phrasal use.
SEVENTH_RUDE = [
    ("logistics_tms", "Your tracking sucks, honestly, your customers must hate you."),
    ("bank_retail_crm", "Honestly, the way your branches follow up on clients sucks."),
    ("retail_member_marketing", "Your member app is so sucky that shoppers probably laugh at you."),
]
SEVENTH_POLITE = [
    ("logistics_tms", "What sucks up most of your dispatchers' time in a normal week?"),
    ("hospital_mobile_nursing", "Do the nurses hate the re-entry work, or have they got used to it?"),
]


def _lang(line: str) -> str:
    return "en" if line.isascii() else "zh"


def _read(scenario_id: str, line: str):
    scenario = SCENARIOS[scenario_id]
    return read_tone(line, list(scenario.competitors), 0, classify_spin(line), False, own_names(scenario))


@pytest.mark.parametrize(
    ("scenario_id", "line"), RUDE + CHECK_RUDE + THIRD_RUDE + FOURTH_RUDE + FIFTH_RUDE + SIXTH_RUDE + SEVENTH_RUDE
)
def test_rude_lines_of_every_kind_are_rude_and_lower_trust(scenario_id, line):
    assert _read(scenario_id, line) is not None
    _, [turn] = say(scenario_id, [line], _lang(line), trust=60)
    assert turn.tone == "rude" and turn.trust_delta < 0
    feedback = build_feedback(SCENARIOS[scenario_id], classify_spin(line), turn, line)
    assert feedback.tone == "rude" and feedback.trust_delta < 0


@pytest.mark.parametrize(
    ("scenario_id", "line"),
    POLITE + CHECK_POLITE + THIRD_POLITE + FOURTH_POLITE + FIFTH_POLITE + SIXTH_POLITE + SEVENTH_POLITE,
)
def test_blunt_but_polite_lines_are_never_punished(scenario_id, line):
    assert _read(scenario_id, line) is None
    _, [turn] = say(scenario_id, [line], _lang(line), trust=60)
    assert turn.tone == "ok" and turn.rude_kind is None
    # trust may still fall for what the line does (an early pitch, an early ask), never for its tone
    assert turn.trust_delta >= 0 or turn.premature_pitch or turn.commitment_asked


def test_the_sets_are_large_and_cover_both_languages():
    for lines in (RUDE, POLITE):
        assert len(lines) >= 30
        assert {_lang(line) for _, line in lines} == {"zh", "en"}


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("恒通网络那帮人就会画大饼。", "rival"),
        ("Their platform is junk.", "rival"),
        ("你们信息科的人根本不懂技术。", "insult"),
        ("今天就把合同签了。", "pushy"),
        ("Hurry up and make a decision.", "pushy"),
        ("Do you even read the reports?", "insult"),
    ],
)
def test_the_kind_of_rudeness_is_read(line, kind):
    assert _read("gov_city_network", line) == kind


def test_a_long_pitch_is_a_monologue_even_when_it_ends_with_a_question():
    pitch = "我们的平台有三大模块，" + "覆盖预警、计划和备件，已经在很多集团上线，效果非常明显，" * 8 + "您看怎么样？"
    assert _read("energy_wind_eam", pitch) == "monologue"
    compound = (
        "孙主任，我想先请教几个情况：现在九百多台风机的检修主要是定期检修还是坏了再修？大部件故障去年大概有多少次？"
        "每次停机一般要多久？运行数据采上来以后，有没有人专门做分析？"
    )
    assert _read("energy_wind_eam", compound) is None


def test_a_verdict_on_the_reps_own_product_or_a_negated_one_is_not_rude():
    for line in [
        "我们上一代产品确实很烂，所以全部重写了。",
        "Our old reporting module was garbage, so we rebuilt it.",
        "您现在的网络其实一点也不落后。",
        "Your team isn't lazy at all, they're stretched.",
    ]:
        assert _read("gov_city_network", line) is None, line


def test_capitals_are_shouting_but_acronyms_are_not():
    assert _read("bank_retail_crm", "I TOLD YOU THIS ALREADY, LISTEN TO ME.") == "insult"
    assert _read("bank_retail_crm", "Does the CRM pull AUM data from the core banking system and the ERP?") is None


def test_a_certain_loss_foretold_is_a_threat_but_a_possible_one_is_a_fair_warning():
    assert _read("logistics_tms", "不上系统，你们迟早要倒闭。") == "insult"
    assert _read("logistics_tms", "You'll lose that tender, mark it.") == "insult"
    assert _read("logistics_tms", "如果一直做不到全程可视，会不会有丢掉大客户的风险？") is None
    assert _read("logistics_tms", "Without tracking you could lose the tender. How likely is that?") is None


# --- pushing after a refusal ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "question", "again"),
    [
        ("zh", "空驶一年大概多花多少钱？", "一年多花多少？"),
        ("en", "How much does running empty cost you a year?", "How much does it cost you a year?"),
    ],
)
def test_asking_the_refused_fact_again_at_once_is_pushing(lang, question, again):
    _, [held, pushed] = say("logistics_tms", [question, again], lang, trust=5)
    assert held.new_facts == [] and held.held_back in ("trust", "sensitive")
    assert pushed.tone == "rude" and pushed.rude_kind == "pushy" and pushed.trust_delta < 0
    assert pushed.new_facts == []


@pytest.mark.parametrize(
    ("lang", "question", "again"),
    [
        ("zh", "空驶一年大概多花多少钱？", "理解，不方便的话，一年多花的钱大概是什么量级？"),
        (
            "en",
            "How much does running empty cost you a year?",
            "Understood. Roughly what does running empty cost a year?",
        ),
    ],
)
def test_a_reask_that_acknowledges_the_refusal_is_not_pushing(lang, question, again):
    _, [held, asked] = say("logistics_tms", [question, again], lang, trust=5)
    assert held.held_back in ("trust", "sensitive")
    assert asked.tone == "ok" and asked.trust_delta >= 0


# After the buyer turned a step down (often naming who really decides), the same ask again at once, bluntly, is
# pushing; acknowledging the refusal or asking for something smaller is selling. Lines written for these tests.
PUSHED_AFTER_REFUSAL = [
    ("zh", "hospital_mobile_nursing", "陈主任，今天能不能先把采购意向定下来？", "那您就先定下来，院长那边回头再说。"),
    ("zh", "edu_smart_academic", "刘处，今天能把合同签了吗？", "您跟分管校长说一声就行了，今天先签个意向。"),
    (
        "en",
        "bank_retail_crm",
        "Can we get the contract signed this week?",
        "You can sign it yourself, the board will follow.",
    ),
    ("en", "logistics_tms", "Could you sign the order today?", "Just tell your partners it's done and sign today."),
]
SOFTENED_AFTER_REFUSAL = [
    (
        "zh",
        "hospital_mobile_nursing",
        "陈主任，今天能不能先把采购意向定下来？",
        "理解，那下周能不能请院长一起坐下来聊半小时？",
    ),
    ("zh", "edu_smart_academic", "刘处，今天能把合同签了吗？", "明白，那评估小组里还有哪些人需要参与？"),
    (
        "en",
        "bank_retail_crm",
        "Can we get the contract signed this week?",
        "Understood. Who else would need to see the numbers first?",
    ),
    (
        "en",
        "logistics_tms",
        "Could you sign the order today?",
        "Fair enough. Could we set up a call with your partners next week?",
    ),
]


@pytest.mark.parametrize(("lang", "scenario_id", "ask", "again"), PUSHED_AFTER_REFUSAL)
def test_the_same_ask_pushed_right_after_a_refusal_lowers_trust(lang, scenario_id, ask, again):
    _, [first, second] = say(scenario_id, [ask, again], lang, trust=30)
    assert first.tone == "ok" and first.commitment_asked and not first.commitment_won
    assert second.tone == "rude" and second.rude_kind == "pushy" and second.trust_delta < 0


@pytest.mark.parametrize(("lang", "scenario_id", "ask", "again"), SOFTENED_AFTER_REFUSAL)
def test_a_smaller_or_acknowledging_ask_after_a_refusal_is_not_pushing(lang, scenario_id, ask, again):
    _, [first, second] = say(scenario_id, [ask, again], lang, trust=30)
    assert first.commitment_asked and not first.commitment_won
    assert second.tone == "ok"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_call_that_stays_rude_is_ended_by_the_buyer(lang):
    lines = {
        "zh": [
            "你们请的咨询公司写的东西，说白了就是东拼西凑。",
            "这么大的厂还靠纸质台账，也是运气好才没出事。",
            "您不帮这个忙，以后出了问题别怪我们。",
            "你们现在批次怎么追溯？",
        ],
        "en": [
            "Your consultants clearly never ran a plant.",
            "Still signing batch records by hand, huh?",
            "Don't help us and when the audit fails, that's on you.",
            "How do you trace batches today?",
        ],
    }[lang]
    state, turns = say("mfg_vitamin_erp", lines[:3], lang, trust=70)
    assert all(turn.tone == "rude" and turn.trust_delta < 0 for turn in turns)
    assert state.finished and state.end_reason == "rudeness"


def test_a_refused_fact_asked_after_other_good_questions_is_told():
    lines = [
        "How much does running empty cost you a year?",
        "How big is your fleet?",
        "How do you dispatch the trucks today?",
        "Who are your main shippers?",
        "How often do your trucks come back empty?",
        "How much does running empty cost you a year?",
    ]
    scenario = SCENARIOS["logistics_tms"]
    _, turns = say("logistics_tms", lines, "en", trust=5)
    refused = turns[0]
    assert refused.new_facts == [] and refused.held_back in ("trust", "sensitive")
    assert not any("\u4e00" <= char <= "\u9fff" for char in refused.text)  # an English reason, in character
    feedback = build_feedback(scenario, classify_spin(lines[0]), refused, lines[0])
    assert feedback.held_back is not None and feedback.held_back.text_en  # the sidebar says why, and what helps
    assert all(turn.tone == "ok" for turn in turns)
    assert "i_fuel_cost" in turns[-1].new_facts


# --- the buyer reacts in character and may end the call ----------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_buyer_defends_a_rival_warns_then_ends_the_call(lang):
    scenario = SCENARIOS["hospital_mobile_nursing"]
    style = scenario.persona.communication_style
    lines = {
        "zh": ["健云软件那帮人就是骗子。", "你们信息科根本不懂技术。", "您怎么还不明白？"],
        "en": ["Their software is a scam.", "Your IT people are clueless.", "Do you even understand what I said?"],
    }[lang]
    state, turns = say(scenario.id, lines, lang, trust=80)
    assert [turn.rude_kind for turn in turns] == ["rival", "insult", "insult"]
    assert any(turns[0].text.startswith(text) for text in phrase_options(style, "rude_rival", lang))
    assert any(text in turns[1].text for text in phrase_options(style, "rude_warning", lang))
    assert all(turn.trust_delta < 0 for turn in turns)
    assert len(turns) == RUDE_TURNS_TO_END and state.finished and state.end_reason == "rudeness"
    assert any(text in turns[-1].text for text in phrase_options(style, "rude_end", lang))


# --- the lexicon is validated data -------------------------------------------------------------------


def test_the_lexicon_is_large_and_general():
    lexicon = load_rudeness_lexicon()
    entries = [
        *lexicon.evaluation.strong.zh,
        *lexicon.evaluation.strong.en,
        *lexicon.evaluation.judging.zh,
        *lexicon.evaluation.judging.en,
        *lexicon.profanity.zh,
        *lexicon.profanity.en,
        *lexicon.name_calling.zh,
        *lexicon.name_calling.en,
        *lexicon.contempt.zh,
        *lexicon.contempt.en,
        *lexicon.threat.zh,
        *lexicon.threat.en,
        *lexicon.dismissive.zh,
        *lexicon.dismissive.en,
        *lexicon.command.zh,
        *lexicon.command.en,
    ]
    assert len(entries) >= 600


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("  strong:\n    zh: [", "  strong:\n    zh: [垃圾, "), "evaluation.strong.zh"),
        (('  patterns:\n    - "', '  patterns:\n    - "(unclosed"\n    - "'), "patterns"),
    ],
)
def test_invalid_lexicon_data_names_the_file_and_the_field(tmp_path: Path, change, field):
    text = RUDENESS_PATH.read_text(encoding="utf-8")
    assert change[0] in text
    broken = tmp_path / "rudeness.yaml"
    broken.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(PhraseDataError) as problem:
        load_rudeness_lexicon(broken)
    assert "rudeness.yaml" in str(problem.value) and field in str(problem.value)
