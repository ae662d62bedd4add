//! Verifying a log (M6 三(六), G5): the hash chain ([`verify`], naming the first line edited,
//! removed, inserted or reordered), a recorded head ([`verify_head`]), and replaying the approval
//! rules on the registered actors ([`replay`]). [`super::check`] runs them all with the
//! signatures and anchors.

use std::collections::{BTreeMap, HashMap};

use super::{AuditError, ChainHead, Event, EventActor, GENESIS, Tampering};
use crate::approval::{Action, Actor, ApprovalError, ChainRules, ProjectApproval, Registry};
use crate::projects::ProjectError;

/// Check the hash chain (hashes and links only: [`check`] also verifies signatures, anchors and
/// the rules); the head of a valid chain.
///
/// # Errors
/// [`AuditError::Tampered`] for the first broken line.
pub fn verify(events: &[Event]) -> Result<ChainHead, AuditError> {
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        position.entry(e.hash.as_str()).or_insert(i);
    }
    let mut prev = GENESIS;
    let mut expected_seq = 0u64;
    let mut prev_seq = 0u64;
    let mut signed = false;
    for (i, e) in events.iter().enumerate() {
        let line = i + 1;
        let tampered = |tampering| AuditError::Tampered { line, tampering };
        if signed && !e.is_signed() {
            return Err(tampered(Tampering::UnsignedAfterSigned { seq: e.seq }));
        }
        signed |= e.is_signed();
        if e.expected_hash() != e.hash {
            return Err(tampered(Tampering::Edited { seq: e.seq }));
        }
        if e.prev_hash != prev {
            return Err(match position.get(e.prev_hash.as_str()) {
                Some(&j) if j > i => tampered(Tampering::Reordered { seq: e.seq }),
                // The events between the one this links to and this one are not in the chain.
                Some(&j) => {
                    let first = j + 1;
                    AuditError::Tampered {
                        line: first + 1,
                        tampering: Tampering::Inserted {
                            seq: events.get(first).map_or(e.seq, |x| x.seq),
                        },
                    }
                }
                None if e.prev_hash == GENESIS => AuditError::Tampered {
                    line: 1,
                    tampering: Tampering::Inserted {
                        seq: events.first().map_or(0, |x| x.seq),
                    },
                },
                None if e.seq > expected_seq => tampered(Tampering::Removed {
                    first: expected_seq,
                    last: e.seq - 1,
                }),
                None if i == 0 => tampered(Tampering::Edited { seq: e.seq }),
                None => AuditError::Tampered {
                    line: i,
                    tampering: Tampering::Rehashed { seq: prev_seq },
                },
            });
        }
        if e.seq != expected_seq {
            return Err(tampered(Tampering::Edited { seq: e.seq }));
        }
        prev = &e.hash;
        prev_seq = e.seq;
        expected_seq = e.seq.saturating_add(1);
    }
    Ok(ChainHead {
        count: events.len(),
        hash: prev.to_owned(),
    })
}

/// Check the hash chain and that it ends at a recorded head.
///
/// # Errors
/// As [`verify`]; then [`Tampering::CountMismatch`] or [`Tampering::HeadMismatch`].
pub fn verify_head(events: &[Event], head: &ChainHead) -> Result<(), AuditError> {
    let found = verify(events)?;
    let line = events.len().max(1);
    if found.count != head.count {
        return Err(AuditError::Tampered {
            line,
            tampering: Tampering::CountMismatch {
                expected: head.count,
                found: found.count,
            },
        });
    }
    if found.hash != head.hash {
        return Err(AuditError::Tampered {
            line,
            tampering: Tampering::HeadMismatch {
                expected: head.hash.clone(),
                found: found.hash,
            },
        });
    }
    Ok(())
}

/// The result of replaying a log as far as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    /// Every project's state after the last event replayed.
    pub states: BTreeMap<String, ProjectApproval>,
    /// The first event refused, if any; replay stops there.
    pub error: Option<AuditError>,
}

/// Rebuild every project's state from the events under a policy's approval rules and project
/// amount guard, taking each actor from the registry when one is given, stopping at the first
/// illegal event. Hashes, signatures and anchors are not checked here: [`check`] does all.
#[must_use]
pub fn replay_partial<'a>(
    events: &[Event],
    policy: impl Into<ChainRules<'a>>,
    registry: Option<&Registry>,
) -> Replay {
    let policy = policy.into();
    let mut states = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        if let Err(error) = replay_one(&mut states, i + 1, e, policy, registry) {
            return Replay {
                states,
                error: Some(error),
            };
        }
    }
    Replay {
        states,
        error: None,
    }
}

/// Rebuild every project's state from the events (see [`replay_partial`]).
///
/// # Errors
/// [`AuditError::Illegal`] for the first event the rules refuse, [`AuditError::Inconsistent`]
/// for one whose recorded stages are not those the rules give; the actor errors of
/// [`resolve_actor`].
pub fn replay<'a>(
    events: &[Event],
    policy: impl Into<ChainRules<'a>>,
    registry: Option<&Registry>,
) -> Result<BTreeMap<String, ProjectApproval>, AuditError> {
    let r = replay_partial(events, policy, registry);
    match r.error {
        Some(e) => Err(e),
        None => Ok(r.states),
    }
}

/// The actor who took an event's step, with the role and jurisdiction that count: the
/// registry's (the event's claim, for an unsigned event, must agree with it); without a
/// registry, an unsigned event's claim.
///
/// # Errors
/// [`AuditError::NeedsRegistry`] for a signed event without a registry; [`AuditError::Actor`]
/// for an actor unknown or not registered at the event's time; [`AuditError::Claim`] for an
/// unsigned event whose claim differs from the registry.
pub fn resolve_actor<'a>(
    e: &'a Event,
    line: usize,
    registry: Option<&'a Registry>,
) -> Result<&'a Actor, AuditError> {
    let Some(registry) = registry else {
        return match &e.body.actor {
            EventActor::Claimed(a) => Ok(a),
            EventActor::Id(id) => Err(AuditError::NeedsRegistry {
                line,
                seq: e.seq,
                actor: id.clone(),
            }),
        };
    };
    let r = registry
        .resolve(e.body.actor.id(), e.body.at)
        .map_err(|problem| AuditError::Actor {
            line,
            seq: e.seq,
            project: e.body.project.clone(),
            problem,
        })?;
    if let EventActor::Claimed(claimed) = &e.body.actor
        && (claimed.role != r.actor.role || claimed.jurisdiction != r.actor.jurisdiction)
    {
        return Err(AuditError::Claim {
            line,
            seq: e.seq,
            project: e.body.project.clone(),
            actor: claimed.id.clone(),
            claimed: Box::new(claimed.clone()),
            registered: Box::new(r.actor.clone()),
        });
    }
    if let Some(steps) = &r.steps {
        let step = e.body.action.step();
        if !steps.contains(&step) {
            return Err(AuditError::NotGranted {
                line,
                seq: e.seq,
                project: e.body.project.clone(),
                actor: r.actor.id.clone(),
                step,
            });
        }
    }
    Ok(&r.actor)
}

pub(super) fn replay_one(
    states: &mut BTreeMap<String, ProjectApproval>,
    line: usize,
    e: &Event,
    policy: ChainRules<'_>,
    registry: Option<&Registry>,
) -> Result<(), AuditError> {
    let actor = resolve_actor(e, line, registry)?;
    let next = step(states, e, actor, policy).map_err(|error| match error {
        Stepped::Illegal(error) => AuditError::Illegal {
            line,
            seq: e.seq,
            error,
        },
        Stepped::Mismatch(message) => AuditError::Malformed { line, message },
    })?;
    let current = states.get(&e.body.project);
    let from = current.map(|s| s.stage);
    if e.from != from || e.to != next.stage {
        return Err(AuditError::Inconsistent {
            line,
            seq: e.seq,
            project: e.body.project.clone(),
            recorded_from: e.from,
            recorded_to: e.to,
            computed_from: from,
            computed_to: next.stage,
        });
    }
    states.insert(e.body.project.clone(), next);
    Ok(())
}

pub(super) enum Stepped {
    Illegal(ApprovalError),
    Mismatch(String),
}

/// The state after an event's action by an actor, under the policy (no I/O).
pub(super) fn step(
    states: &BTreeMap<String, ProjectApproval>,
    e: &Event,
    actor: &Actor,
    policy: ChainRules<'_>,
) -> Result<ProjectApproval, Stepped> {
    let current = states.get(&e.body.project);
    match (&e.body.action, current) {
        (Action::Enter { project }, None) if project.id == e.body.project => {
            if project.requested > policy.projects.max_requested {
                return Err(Stepped::Illegal(ApprovalError::Entry {
                    project: project.id.clone(),
                    reason: ProjectError::AboveMaximum {
                        project: project.id.clone(),
                        value: project.requested,
                        max: policy.projects.max_requested,
                    }
                    .to_string(),
                }));
            }
            policy
                .approval
                .begin(project.clone(), actor, e.body.at)
                .map_err(Stepped::Illegal)
        }
        (Action::Enter { .. }, Some(_)) => Err(Stepped::Illegal(ApprovalError::AlreadyEntered {
            project: e.body.project.clone(),
        })),
        (Action::Enter { project }, None) => Err(Stepped::Mismatch(format!(
            "the event is about project `{}` but enters project `{}`",
            e.body.project, project.id
        ))),
        (_, None) => Err(Stepped::Illegal(ApprovalError::NotInLibrary {
            project: e.body.project.clone(),
            county: String::new(),
        })),
        (action, Some(state)) => policy
            .approval
            .transition(state, action, actor, e.body.at)
            .map_err(Stepped::Illegal),
    }
}
