"""UI strings in Chinese and English; the `lang` cookie picks one (Chinese by default)."""

from fastapi import Request

LANGS = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "app.name": ("销售教练", "Sales Coach"),
    "nav.home": ("首页", "Home"),
    "nav.roleplay": ("角色扮演", "Role-play"),
    "nav.flows": ("问题流程", "Flows"),
    "nav.pipeline": ("商机漏斗", "Pipeline"),
    "nav.drills": ("训练任务", "Drills"),
    "nav.ask": ("问手册", "Ask the playbook"),
    "nav.notes": ("辅导记录", "Notes"),
    "nav.team": ("团队", "Team"),
    "nav.logout": ("退出", "Log out"),
    "lang.switch": ("English", "中文"),
    "login.title": ("登录", "Sign in"),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Sign in"),
    "login.failed": ("用户名或密码不正确。", "Incorrect username or password."),
    "login.limited": ("尝试次数过多，请稍后再试。", "Too many attempts, please wait a moment."),
    "home.hello": ("你好，{name}", "Hello, {name}"),
    "home.role.rep": ("销售代表", "Sales rep"),
    "home.role.manager": ("销售经理", "Sales manager"),
    "home.role.admin": ("管理员", "Administrator"),
    "home.start": ("今天练什么？", "What will you practise today?"),
    "home.card.roleplay": ("与模拟客户对话，教练逐句点评 SPIN 提问。", "Talk to a simulated buyer; the coach tags every SPIN question."),
    "home.card.flows": ("用教练的提问准备或复盘真实商机。", "Prepare or review a real deal by answering the coach's questions."),
    "home.card.drills": ("经理布置的训练与完成情况。", "Drills your manager assigned and how you are doing."),
    "home.card.ask": ("用大白话提问，答案附手册出处。", "Ask in plain words; answers cite the playbook."),
    "home.card.team": ("团队进度、评分与待点评的练习。", "Team progress, scores and attempts to review."),
    "error.title": ("出错了", "Something went wrong"),
    "error.back": ("返回首页", "Back to home"),
    "common.csrf_failed": ("页面已过期，请刷新后重试。", "This page expired; reload and try again."),
}


def get_lang(request: Request) -> str:
    lang = request.cookies.get("lang", "zh")
    return lang if lang in LANGS else "zh"


def translate(key: str, lang: str, **values: object) -> str:
    zh, en = MESSAGES.get(key, (key, key))
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
