"""The first-run dialog (初始设置): the station's details and the first staff account, or the demo."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from db.engine import Database
from station import demo, onboarding
from station.errors import ValidationError
from station.onboarding import StationDetails
from ui.forms import FieldForm, password_edit


class FirstRunDialog(QDialog):
    """Shown when the data file is new. On success, ``staff`` is the account to work as."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self.staff: tuple[int, str] | None = None
        self.set_up_here = False  # the administrator typed their password here: no sign-in follows
        self.setWindowTitle("欢迎使用党群服务站工作台")
        self.station = QLineEdit()
        self.station.setObjectName("station")
        self.station.setPlaceholderText("例如 幸福里小区党群服务站")
        self.community = QLineEdit()
        self.community.setPlaceholderText("例如 幸福社区")
        self.street = QLineEdit()
        self.street.setPlaceholderText("例如 长安街道")
        self.staff_name = QLineEdit()
        self.staff_name.setObjectName("staff")
        self.staff_name.setPlaceholderText("您的姓名，作为第一个管理员账号")
        self.password = password_edit("password", "至少6位，以后每次登录都要输入")
        self.confirm = password_edit("confirm", "再输入一遍")
        self.form = FieldForm()
        self.form.add_field("name", "服务站名称：", self.station)
        self.form.add_field("community", "所属社区：", self.community)
        self.form.add_field("street", "所属街道：", self.street)
        self.form.add_field("staff", "工作人员：", self.staff_name)
        self.form.add_field("password", "登录密码：", self.password)
        self.form.add_field("confirm", "确认密码：", self.confirm)

        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton("开始使用", QDialogButtonBox.ButtonRole.AcceptRole)
        self.demo_button = QPushButton("载入示例小区（先试一试）")
        buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.start_button.clicked.connect(self.save)
        self.demo_button.clicked.connect(self.load_demo)
        buttons.rejected.connect(self.reject)

        intro = QLabel(
            "第一次使用，请填写服务站的基本信息。以后所有的修改都会记下是哪位工作人员做的。\n"
            "想先看看程序怎么用，可以载入一个示例小区（全部是虚构的居民）。"
        )
        intro.setWordWrap(True)
        title = QLabel("欢迎使用党群服务站工作台")
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def save(self) -> None:
        details = StationDetails(self.station.text(), self.community.text(), self.street.text())
        try:
            with self._db.write() as session:
                staff_id = onboarding.set_up(session, details, self.staff_name.text(), self.password.text(),
                                             self.confirm.text())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.staff = (staff_id, self.staff_name.text().strip())
        self.set_up_here = True
        from PySide6.QtCore import QSettings

        from ui.login import LAST_ACCOUNT_KEY

        QSettings().setValue(LAST_ACCOUNT_KEY, staff_id)
        self.accept()

    def load_demo(self) -> None:
        with self._db.write() as session:
            demo.load_demo(session)
            self.staff = onboarding.acting_staff(session)
        self.accept()
