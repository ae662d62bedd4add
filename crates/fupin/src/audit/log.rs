//! An approval log being written (M6 三(六) 程序化、档案化): [`AuditLog`] keeps the events, every
//! project's state, the policy's chain rules and the registry, and adds a step only after the
//! rules accept it.

use std::collections::BTreeMap;

use ed25519_dalek::SigningKey;

use super::verify::{Stepped, resolve_actor, step};
use super::{
    AppendError, AuditError, ChainHead, CheckOptions, Draft, Event, EventActor, EventBody, check,
    to_jsonl, trail,
};
use crate::approval::{
    Action, Actor, ApprovalError, ChainPolicy, ProjectApproval, Registry, Stage, Timestamp,
};
use crate::projects::ProjectLibrary;

/// An approval log in memory with the projects' current states, the policy it follows and the
/// registry of its actors.
///
/// [`AuditLog::append`] adds a signed event (the way a log grows from now on);
/// [`AuditLog::enter`] and [`AuditLog::record`] add unsigned (format 1) events, for logs that
/// have no signature yet. Every method that acts runs the rules of [`crate::approval`] first:
/// a refused action leaves the log unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLog {
    events: Vec<Event>,
    states: BTreeMap<String, ProjectApproval>,
    policy: ChainPolicy,
    registry: Option<Registry>,
}

impl Default for AuditLog {
    fn default() -> Self {
        Self::new()
    }
}

impl AuditLog {
    /// An empty log under the embedded 2020 policy's approval rules.
    #[must_use]
    pub fn new() -> Self {
        Self::with_policy(ChainPolicy::chaoyang_2020())
    }

    /// An empty log under a policy's approval rules and project entry requirements.
    #[must_use]
    pub fn with_policy(policy: impl Into<ChainPolicy>) -> Self {
        Self {
            events: Vec::new(),
            states: BTreeMap::new(),
            policy: policy.into(),
            registry: None,
        }
    }

    /// The log with a registry of actors: signed events take their actors from it.
    #[must_use]
    pub fn with_registry(mut self, registry: Registry) -> Self {
        self.registry = Some(registry);
        self
    }

    /// A log continued from events, after [`check`] (hashes, signatures, rules; an empty list
    /// is accepted).
    ///
    /// # Errors
    /// The errors of [`check`].
    pub fn open(
        events: Vec<Event>,
        policy: impl Into<ChainPolicy>,
        registry: Option<Registry>,
    ) -> Result<Self, AuditError> {
        let policy = policy.into();
        let opts = CheckOptions::new(&policy)
            .maybe_registry(registry.as_ref())
            .allow_empty(true);
        let states = check(&events, &opts)?.states;
        Ok(Self {
            events,
            states,
            policy,
            registry,
        })
    }

    /// A log continued from unsigned events under a policy ([`AuditLog::open`] without a
    /// registry).
    ///
    /// # Errors
    /// The errors of [`check`].
    pub fn from_events(
        events: Vec<Event>,
        policy: impl Into<ChainPolicy>,
    ) -> Result<Self, AuditError> {
        Self::open(events, policy, None)
    }

    /// The sections of the policy whose rules the log follows.
    #[must_use]
    pub const fn policy(&self) -> &ChainPolicy {
        &self.policy
    }

    /// The registry of actors, if the log has one.
    #[must_use]
    pub const fn registry(&self) -> Option<&Registry> {
        self.registry.as_ref()
    }

    /// The events.
    #[must_use]
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Every project's current state, by id.
    #[must_use]
    pub const fn states(&self) -> &BTreeMap<String, ProjectApproval> {
        &self.states
    }

    /// The head of the chain, to keep apart from the log.
    #[must_use]
    pub fn head(&self) -> ChainHead {
        ChainHead::of(&self.events)
    }

    /// The log as JSON Lines.
    #[must_use]
    pub fn to_jsonl(&self) -> String {
        to_jsonl(&self.events)
    }

    /// Append a signed event: the draft's step is checked against the rules on the current
    /// states with the actor the registry holds, signed with the actor's key, and chained.
    ///
    /// # Errors
    /// The errors of [`append`]; [`AppendError::NoRegistry`] for a log without a registry.
    pub fn append(
        &mut self,
        draft: &Draft,
        key: &SigningKey,
        library: Option<&ProjectLibrary>,
    ) -> Result<&ProjectApproval, AppendError> {
        let registry = self.registry.as_ref().ok_or(AppendError::NoRegistry)?;
        let event = trail::next_event(
            &self.events,
            &self.states,
            draft,
            key,
            registry,
            self.policy.rules(),
            library,
        )?;
        self.push_event(event)
    }

    fn push_event(&mut self, event: Event) -> Result<&ProjectApproval, AppendError> {
        let actor = resolve_actor(&event, self.events.len() + 1, self.registry.as_ref())
            .map_err(AppendError::Log)?
            .clone();
        let next =
            step(&self.states, &event, &actor, self.policy.rules()).map_err(|e| match e {
                Stepped::Illegal(e) => AppendError::Refused(e),
                Stepped::Mismatch(m) => AppendError::Draft(m),
            })?;
        let id = event.body.project.clone();
        self.events.push(event);
        let slot = self.states.entry(id).or_insert_with(|| next.clone());
        *slot = next;
        Ok(slot)
    }

    /// 入库 — a project of a county's library enters the chain, recorded as an **unsigned**
    /// event (see [`ProjectApproval::enter`]; [`AuditLog::append`] signs).
    ///
    /// # Errors
    /// [`ApprovalError::AlreadyEntered`], [`ApprovalError::SignatureRequired`] on a signed log,
    /// or the errors of [`ProjectApproval::enter`].
    pub fn enter(
        &mut self,
        library: &ProjectLibrary,
        project_id: &str,
        actor: &Actor,
        at: Timestamp,
        comment: &str,
    ) -> Result<&ProjectApproval, ApprovalError> {
        self.unsigned_allowed(project_id)?;
        if self.states.contains_key(project_id) {
            return Err(ApprovalError::AlreadyEntered {
                project: project_id.to_owned(),
            });
        }
        let state =
            self.policy
                .approval
                .enter(library, &self.policy.projects, project_id, actor, at)?;
        let action = Action::Enter {
            project: state.project.clone(),
        };
        Ok(self.push(None, state, action, actor, at, comment))
    }

    fn unsigned_allowed(&self, project: &str) -> Result<(), ApprovalError> {
        if self.events.iter().any(Event::is_signed) {
            return Err(ApprovalError::SignatureRequired {
                project: project.to_owned(),
            });
        }
        Ok(())
    }

    /// Take a step on a project already in the chain, and record it as an **unsigned** event.
    ///
    /// # Errors
    /// [`ApprovalError::NotInLibrary`] for a project that never entered (and for
    /// [`Action::Enter`], which goes through [`AuditLog::enter`]);
    /// [`ApprovalError::SignatureRequired`] on a signed log; the errors of
    /// [`crate::approval::transition`].
    pub fn record(
        &mut self,
        project_id: &str,
        action: Action,
        actor: &Actor,
        at: Timestamp,
        comment: &str,
    ) -> Result<&ProjectApproval, ApprovalError> {
        self.unsigned_allowed(project_id)?;
        let Some(state) = self.states.get(project_id) else {
            let county = match &action {
                Action::Enter { project } => project.county.clone(),
                _ => String::new(),
            };
            return Err(ApprovalError::NotInLibrary {
                project: project_id.to_owned(),
                county,
            });
        };
        let next = self.policy.approval.transition(state, &action, actor, at)?;
        let from = Some(state.stage);
        Ok(self.push(from, next, action, actor, at, comment))
    }

    fn push(
        &mut self,
        from: Option<Stage>,
        state: ProjectApproval,
        action: Action,
        actor: &Actor,
        at: Timestamp,
        comment: &str,
    ) -> &ProjectApproval {
        let mut event = Event {
            seq: self.events.len() as u64,
            from,
            to: state.stage,
            body: EventBody {
                project: state.project.id.clone(),
                action,
                actor: EventActor::Claimed(actor.clone()),
                at,
                comment: comment.to_owned(),
            },
            prev_hash: self.head().hash,
            hash: String::new(),
            signature: None,
        };
        event.hash = event.expected_hash();
        self.events.push(event);
        let slot = self
            .states
            .entry(state.project.id.clone())
            .or_insert_with(|| state.clone());
        *slot = state;
        slot
    }
}
