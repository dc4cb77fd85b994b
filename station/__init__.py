"""Station desk (党群服务站工作台): the domain services, free of Qt."""

__version__ = "0.1.0"
APP_NAME = "StationDesk"
APP_TITLE = "党群服务站工作台"
