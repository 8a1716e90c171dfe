"""The `sales-coach` command: serve, migrate the database, manage users, seed the demo, ask the playbook."""

import sys
from typing import Annotated

import typer
from sqlmodel import Session

from app.config import PRODUCT_NAME, SettingsError, get_settings

cli = typer.Typer(
    help=f"{PRODUCT_NAME['en']}: interactive sales coaching service.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database migrations.", no_args_is_help=True)
user_cli = typer.Typer(help="User accounts.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(user_cli, name="user")


def _engine():
    from app.db import make_engine

    return make_engine(get_settings().resolved_database_url)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default HOST or 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default PORT or 8000).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the web app and API."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        **proxy_options(settings),
    )


def proxy_options(settings) -> dict:
    """X-Forwarded-For/-Proto believed only from FORWARDED_ALLOW_IPS (uvicorn's own default would trust 127.0.0.1,
    so anything on the host, or a proxy that passes the header through, could pick the address limits key on)."""
    trusted = settings.forwarded_allow_ips.strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None}


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations."""
    from app import migrate

    migrate.upgrade(_engine())
    typer.echo("database is up to date")


@user_cli.command("create")
def user_create(
    username: Annotated[str, typer.Option(help="Login name.")],
    password: Annotated[str, typer.Option(help="At least 8 characters.")],
    role: Annotated[str, typer.Option(help="rep, manager or admin.")] = "rep",
    team: Annotated[
        str | None, typer.Option(help="A rep's team, or a team the manager leads (created when missing).")
    ] = None,
    display_name: Annotated[str, typer.Option(help="Name shown in the UI.")] = "",
) -> None:
    """Create a user."""
    from app.accounts import AccountError, create_user
    from app.models import Role

    if role not in Role.__members__:
        raise typer.BadParameter("role must be rep, manager or admin", param_hint="--role")
    with Session(_engine()) as session:
        try:
            user = create_user(session, username, password, Role(role), team, display_name)
        except (AccountError, ValueError) as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"created {user.role} {user.username} (id {user.id})")


@user_cli.command("set-password")
def user_set_password(
    username: Annotated[str, typer.Option(help="Login name.")],
    password: Annotated[str, typer.Option(help="At least 8 characters.")],
) -> None:
    """Set a user's password; every session and token they had ends."""
    from app.accounts import AccountError, set_password

    with Session(_engine()) as session:
        user = _user_named(session, username)
        try:
            set_password(session, user, password)
        except AccountError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"password of {username} changed; their sessions have ended")


@user_cli.command("deactivate")
def user_deactivate(username: Annotated[str, typer.Option(help="Login name.")]) -> None:
    """Deactivate a user: they cannot sign in, and every session and token they had ends."""
    from app.accounts import set_active

    with Session(_engine()) as session:
        set_active(session, _user_named(session, username), active=False)
    typer.echo(f"{username} deactivated; their sessions have ended")


def _user_named(session: Session, username: str):
    from sqlmodel import select

    from app.models import User

    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        typer.echo(f"error: no user {username!r}", err=True)
        raise typer.Exit(1)
    return user


@cli.command()
def demo() -> None:
    """Seed the demo team and users (safe to run again) and print the logins."""
    from app.demo import DEMO_USERS, seed_demo

    with Session(_engine()) as session:
        created = seed_demo(session)
    typer.echo(f"demo users ({len(created)} new):")
    for user in DEMO_USERS:
        typer.echo(f"  {user.role:<8} {user.username:<8} password: {user.password:<18} {user.display_name}")


@cli.command()
def ask(question: Annotated[str, typer.Argument(help='The question, e.g. "摧龙六式有哪六步？"')]) -> None:
    """Ask the playbook; prints the answer and its citations (no server needed)."""
    from pydantic import ValidationError

    from app.knowledge.service import MAX_QUESTION_CHARS, AskRequest, ask_playbook
    from app.llm.factory import build_chat_model

    try:
        question = AskRequest(question=question).question
    except ValidationError:
        raise typer.BadParameter(
            f"enter a question of 1 to {MAX_QUESTION_CHARS} characters", param_hint="QUESTION"
        ) from None
    settings = get_settings()
    result = ask_playbook(question, settings, build_chat_model(settings))
    if result.notice:
        typer.echo(result.notice, err=True)
    typer.echo(result.answer)
    if result.citations:
        typer.echo("\n出处 / Sources:")
        for citation in result.citations:
            typer.echo(f"  [{citation.id}] {citation.title} ({citation.source})")
    typer.echo(f"\n({'模型 / model' if result.mode == 'llm' else '离线 / offline'})")


def main() -> None:
    try:
        cli()
    except SettingsError as error:
        print(error, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
