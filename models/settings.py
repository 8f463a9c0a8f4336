"""One settings class, read once at the edge (environment prefix CWA_, optional .env file)."""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CWA_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{Path('data/cwa.db').resolve()}"
    prefect_api_url: str = "http://127.0.0.1:4200/api"
    ui_base_url: str = "http://127.0.0.1:4200"
    timezone: str = "America/Chicago"

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_from: str = "no-reply@childrens-division.mo.example"
    smtp_timeout: float = 10.0

    division_name: str = "Missouri Children's Division"
    reminder_business_days: int = 1
    delivery_max_attempts: int = 5
    delivery_backoff_seconds: float = 60.0
    inbox_artifact_rows: int = 500
