//! The simulated controller world on a virtual clock: informer events, workers, policies, history.
