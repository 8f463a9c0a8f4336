"""One settings class, read once at the edge (environment prefix CWA_, optional .env file)."""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CWA_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{Path('data/cwa.db').resolve()}"
    ui_base_url: str = "http://127.0.0.1:4200"
    timezone: str = "America/Chicago"

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_from: str = "no-reply@childrens-division.mo.example"
    smtp_timeout: float = 10.0

    division_name: str = "Missouri Children's Division"
    division_address: str = "P.O. Box 88; Jefferson City, MO 65103-0088"  # lines separated by ';'
    division_phone: str = "(573) 522-8024"
    division_email: str = "contracts@dss.mo.example"

    mail_transport: str = "mailroom"  # or "print-api"
    mailroom_dir: str = str(Path("data/mailroom").resolve())
    reports_dir: str = str(Path("data/reports").resolve())  # renewal reports: renewals/<renewal ID>/
    print_api_url: str = "http://127.0.0.1:8090"
    print_api_username: str = ""
    print_api_password: str = ""
    print_api_timeout: float = 10.0
    reminder_business_days: int = 1
    plan_reminder_days: str = "30,14,7"  # days before a practice improvement plan's deadline
    delivery_max_attempts: int = 5
    delivery_backoff_seconds: float = 60.0
    inbox_artifact_rows: int = 500

    handup_transit_days: int = 3  # first-class mail: days from the mail transport to the participant, (4)(A)
    handup_how_to_pay: str = ("Pay by payroll deduction if your employer offers it, or send a check or money order "
                              "with your participant number to the address below.")
    handup_batch_size: int = 5000  # participants per billing or removal batch
    batch_runs: int = 1  # runs that share a batch job (billing, removals) over the workers: the number of workers

    renewal_review_days: int = 15  # calendar days the contractor has to review its outcomes, 32.020 (15)
    renewal_lead_days: int = 45  # the renewal starts this many days before the contract year ends
    renewal_fmap: str = "2024=0.60,2025=0.60,2026=0.60,2027=0.60,2028=0.60"  # federal share of IV-E by fiscal year

    signin_max_failures: int = 5  # failed sign-ins in a row that lock a staff account
    signin_lock_minutes: int = 15
    signin_cache_seconds: float = 60.0  # how long a verified credential is trusted without checking it again
    sso_header: str = ""  # e.g. X-Forwarded-User: a trusted proxy names the signed-in user; empty = off
    sso_proxies: str = "127.0.0.1"  # addresses allowed to send that header, separated by ','
    prefect_sqlite_busy_seconds: float = 2.0  # how long Prefect's SQLite waits for its write lock in `cwa server`
    busy_retry_seconds: float = 5.0  # `cwa server` runs a request again while Prefect answers "busy" (0: never)
    slow_request_seconds: float = 10.0  # `cwa server` logs an API request slower than this (0: never)
