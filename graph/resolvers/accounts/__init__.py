"""Accounts: captcha, the registration code, register, login and logout, password recovery, the viewer, the profile
and its option lists, SMS codes, mobile, password, uploads."""

from strawberry.tools import merge_types

from graph.resolvers.accounts.profile import ProfileMutations
from graph.resolvers.accounts.recovery import RecoveryMutations
from graph.resolvers.accounts.registration import OptionQueries, RegistrationMutations
from graph.resolvers.accounts.sessions import SessionMutations, SessionQueries
from graph.resolvers.accounts.uploads import UploadMutations

AccountQueries = merge_types("AccountQueries", (SessionQueries, OptionQueries))
AccountMutations = merge_types(
    "AccountMutations", (RegistrationMutations, SessionMutations, RecoveryMutations, ProfileMutations, UploadMutations)
)

__all__ = ["AccountMutations", "AccountQueries"]
