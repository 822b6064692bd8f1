//! Staff: where staff accounts, the audit log and the publisher console will live (its own store, the app's backend port and
//! `routes()`), as `warnings` and `notify` do. Nothing here yet: the feature's issue builds it.
