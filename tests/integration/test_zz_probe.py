import reflex as rx
from reflex.istate.data import RouterData, SessionData, HeaderData
from reflex_base.vars.base import Var
def test_probe(database):
    import state.auth, state.profile, state.search, state.session
    from state.auth import AuthState
    from state.profile import ProfileState
    root = rx.State(_reflex_internal_init=True)
    print(root.substates.keys())
    s = root.get_substate(AuthState.get_full_name().split("."))
    print(type(s), s.get_full_name())
    print(list(AuthState.event_handlers))
    print(list(ProfileState.event_handlers))
    print({k: v.fn.__module__ for k, v in ProfileState.event_handlers.items()})
    print(AuthState.backend_vars if hasattr(AuthState,'backend_vars') else None)
    print(list(s.dict().keys()))
    print(s.dict())
    import inspect
    print(inspect.signature(AuthState.event_handlers["sign_up"].fn))
    print(type(s.router.url), s.router.url.query_parameters)
    print(rx.State.class_subclasses if hasattr(rx.State,'class_subclasses') else None)
