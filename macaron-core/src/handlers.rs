//! Foreign-error handlers (Flask-RESTPlus's `@api.errorhandler`): what an
//! error nobody declared becomes, by its type, wherever it sits in the
//! chain of sources; and a default for everything else.

use crate::source::chain;
use crate::{Error, ErrorRef};
use std::error::Error as StdError;
use std::sync::Arc;

type ByType = dyn Fn(&(dyn StdError + 'static)) -> Option<Error> + Send + Sync;
type Default = dyn Fn(ErrorRef<'_>) -> Error + Send + Sync;

/// The handlers of a configuration, or of a layer (a router's).
#[derive(Clone, Default)]
pub(crate) struct ErrorHandlers {
    by_type: Vec<(&'static str, Arc<ByType>)>,
    default: Option<Arc<Default>>,
}

/// The types handled, and whether there is a default.
impl std::fmt::Debug for ErrorHandlers {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let handled: Vec<&str> = self.by_type.iter().map(|(handled, _)| *handled).collect();
        formatter
            .debug_struct("ErrorHandlers")
            .field("by_type", &handled)
            .field("default", &self.default.is_some())
            .finish()
    }
}

/// `handlers` with one more, for a type: a copy, so that layers built from
/// one another do not share what is added later.
#[cfg(any(feature = "tower", feature = "actix-web"))]
pub(crate) fn with_handler<E, F>(handlers: Option<&ErrorHandlers>, handler: F) -> Arc<ErrorHandlers>
where
    E: StdError + 'static,
    F: Fn(&E) -> Option<Error> + Send + Sync + 'static,
{
    let mut handlers = handlers.cloned().unwrap_or_default();
    handlers.map(handler);
    Arc::new(handlers)
}

/// A handler that panicked: it leaves the error as it was, and is reported.
pub(crate) struct Panicked {
    /// The type the handler was registered for, or `None` for a default.
    pub(crate) handled: Option<&'static str>,
    pub(crate) message: String,
}

impl ErrorHandlers {
    /// Adds the handler of errors of type `E`.
    pub(crate) fn map<E, F>(&mut self, handler: F)
    where
        E: StdError + 'static,
        F: Fn(&E) -> Option<Error> + Send + Sync + 'static,
    {
        let handler = move |error: &(dyn StdError + 'static)| handler(error.downcast_ref::<E>()?);
        self.by_type
            .push((std::any::type_name::<E>(), Arc::new(handler)));
    }

    /// Sets the handler of every error no other handles.
    pub(crate) fn map_unhandled(
        &mut self,
        handler: impl Fn(ErrorRef<'_>) -> Error + Send + Sync + 'static,
    ) {
        self.default = Some(Arc::new(handler));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.by_type.is_empty() && self.default.is_none()
    }

    /// What an error nobody declared becomes: the first handler of `first`
    /// (a router's), then of `then` (the application's), that takes the
    /// error or one of its sources, else the first default. Panics of
    /// handlers are passed to `panicked`, and the search goes on.
    pub(crate) fn handle(
        first: Option<&ErrorHandlers>,
        then: &ErrorHandlers,
        error: ErrorRef<'_>,
        mut panicked: impl FnMut(Panicked),
    ) -> Option<Error> {
        let all = || first.into_iter().chain(Some(then));
        for handlers in all() {
            for link in chain(error.as_std_error()) {
                for (handled, handler) in &handlers.by_type {
                    match run(|| handler(link)) {
                        Ok(Some(mapped)) => return Some(mapped),
                        Ok(None) => {}
                        Err(message) => panicked(Panicked {
                            handled: Some(handled),
                            message,
                        }),
                    }
                }
            }
        }
        for default in all().filter_map(|handlers| handlers.default.as_ref()) {
            match run(|| default(error)) {
                Ok(mapped) => return Some(mapped),
                Err(message) => panicked(Panicked {
                    handled: None,
                    message,
                }),
            }
        }
        None
    }
}

/// Runs a handler; its panic becomes the panic's message.
fn run<R>(handler: impl FnOnce() -> R) -> Result<R, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(handler))
        .map_err(|panic| crate::panic_message(&*panic).to_owned())
}
