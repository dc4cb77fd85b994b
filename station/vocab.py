"""Fixed vocabularies of the domain, in the words the stations use."""

GENDERS = ("男", "女")

# 与户主关系
RELATIONS = ("户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹", "租户", "其他")
HEAD = "户主"

# 党员类别; None means not a party member.
PARTY_CATEGORIES = ("直管党员", "在职党员", "流动党员", "离退休党员")

# Leaders and roles in the compound.
ROLES = ("楼栋长", "单元长", "网格员", "党员中心户")
LEADER_ROLES = ("楼栋长", "单元长", "网格员")

# Residents needing care (关怀对象).
CARE_TAGS = ("独居老人", "特困老人", "困难户", "残疾人", "困境儿童")

# Staff account roles.
STAFF_ROLES = ("录入员", "积分审核员", "管理员")
CLERK, AUDITOR, ADMIN = STAFF_ROLES
# Who sees residents' care tags (关怀标签: 独居老人, 困难户, 残疾人 …): the desk that visits them and the
# administrators; the points audit group (owners' committee members among them) does not need them.
CARE_ROLES = (CLERK, ADMIN)
