// macaron: thiserror runs this file on nightly only, where `provide` and
// `request_ref` exist. macaron runs it on stable: a derived error gives its
// backtrace through `ApiError::backtrace`, which the assertions ask instead.

use macaron_core::ApiError;

#[derive(ApiError, Debug)]
#[error("...", status = 500)]
pub struct Inner;

#[derive(ApiError, Debug)]
#[error("...", status = 500)]
pub struct InnerBacktrace {
    backtrace: std::backtrace::Backtrace,
}

pub mod structs {
    use super::{Inner, InnerBacktrace};
    use macaron_core::ApiError;
    use std::backtrace::Backtrace;
    use std::error::Error;
    use std::sync::Arc;

    mod not_backtrace {
        #[derive(Debug)]
        pub struct Backtrace;
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct PlainBacktrace {
        backtrace: Backtrace,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct ExplicitBacktrace {
        #[backtrace]
        backtrace: Backtrace,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct NotBacktrace {
        // macaron: one crate of modules, so the path names the module.
        backtrace: crate::test_backtrace::structs::not_backtrace::r#Backtrace,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct OptBacktrace {
        #[backtrace]
        backtrace: Option<Backtrace>,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct ArcBacktrace {
        #[backtrace]
        backtrace: Arc<Backtrace>,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct BacktraceFrom {
        #[from]
        source: Inner,
        #[backtrace]
        backtrace: Backtrace,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct CombinedBacktraceFrom {
        #[from]
        #[backtrace]
        source: InnerBacktrace,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct OptBacktraceFrom {
        #[from]
        source: Inner,
        #[backtrace]
        backtrace: Option<Backtrace>,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct ArcBacktraceFrom {
        #[from]
        source: Inner,
        #[backtrace]
        backtrace: Arc<Backtrace>,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct AnyhowBacktrace {
        #[backtrace]
        source: anyhow::Error,
    }

    // macaron: a deliberate difference, an ApiError is `Send + Sync`.
    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct BoxDynErrorBacktrace {
        #[backtrace]
        source: Box<dyn Error + Send + Sync>,
    }

    #[test]
    fn test_backtrace() {
        let error = PlainBacktrace {
            backtrace: Backtrace::capture(),
        };
        assert!(ApiError::backtrace(&error).is_some());

        let error = ExplicitBacktrace {
            backtrace: Backtrace::capture(),
        };
        assert!(ApiError::backtrace(&error).is_some());

        let error = OptBacktrace {
            backtrace: Some(Backtrace::capture()),
        };
        assert!(ApiError::backtrace(&error).is_some());

        let error = ArcBacktrace {
            backtrace: Arc::new(Backtrace::capture()),
        };
        assert!(ApiError::backtrace(&error).is_some());

        let error = BacktraceFrom::from(Inner);
        assert!(ApiError::backtrace(&error).is_some());

        let error = CombinedBacktraceFrom::from(InnerBacktrace {
            backtrace: Backtrace::capture(),
        });
        assert!(ApiError::backtrace(&error).is_some());

        let error = OptBacktraceFrom::from(Inner);
        assert!(ApiError::backtrace(&error).is_some());

        let error = ArcBacktraceFrom::from(Inner);
        assert!(ApiError::backtrace(&error).is_some());

        // macaron: stable Rust cannot ask a source for its backtrace, but
        // for a declared error's: `#[backtrace]` on any other source is
        // accepted and gives none.
        let error = AnyhowBacktrace {
            source: anyhow::Error::msg("..."),
        };
        assert!(ApiError::backtrace(&error).is_none());

        let error = BoxDynErrorBacktrace {
            source: Box::new(PlainBacktrace {
                backtrace: Backtrace::capture(),
            }),
        };
        assert!(ApiError::backtrace(&error).is_none());
    }
}

pub mod enums {
    use super::{Inner, InnerBacktrace};
    use macaron_core::ApiError;
    use std::backtrace::Backtrace;
    use std::sync::Arc;

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum PlainBacktrace {
        #[error("...")]
        Test { backtrace: Backtrace },
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum ExplicitBacktrace {
        #[error("...")]
        Test {
            #[backtrace]
            backtrace: Backtrace,
        },
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum OptBacktrace {
        #[error("...")]
        Test {
            #[backtrace]
            backtrace: Option<Backtrace>,
        },
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum ArcBacktrace {
        #[error("...")]
        Test {
            #[backtrace]
            backtrace: Arc<Backtrace>,
        },
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum BacktraceFrom {
        #[error("...")]
        Test {
            #[from]
            source: Inner,
            #[backtrace]
            backtrace: Backtrace,
        },
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum CombinedBacktraceFrom {
        #[error("...")]
        Test {
            #[from]
            #[backtrace]
            source: InnerBacktrace,
        },
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum OptBacktraceFrom {
        #[error("...")]
        Test {
            #[from]
            source: Inner,
            #[backtrace]
            backtrace: Option<Backtrace>,
        },
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum ArcBacktraceFrom {
        #[error("...")]
        Test {
            #[from]
            source: Inner,
            #[backtrace]
            backtrace: Arc<Backtrace>,
        },
    }

    #[test]
    fn test_backtrace() {
        let error = PlainBacktrace::Test {
            backtrace: Backtrace::capture(),
        };
        assert!(ApiError::backtrace(&error).is_some());

        let error = ExplicitBacktrace::Test {
            backtrace: Backtrace::capture(),
        };
        assert!(ApiError::backtrace(&error).is_some());

        let error = OptBacktrace::Test {
            backtrace: Some(Backtrace::capture()),
        };
        assert!(ApiError::backtrace(&error).is_some());

        let error = ArcBacktrace::Test {
            backtrace: Arc::new(Backtrace::capture()),
        };
        assert!(ApiError::backtrace(&error).is_some());

        let error = BacktraceFrom::from(Inner);
        assert!(ApiError::backtrace(&error).is_some());

        let error = CombinedBacktraceFrom::from(InnerBacktrace {
            backtrace: Backtrace::capture(),
        });
        assert!(ApiError::backtrace(&error).is_some());

        let error = OptBacktraceFrom::from(Inner);
        assert!(ApiError::backtrace(&error).is_some());

        let error = ArcBacktraceFrom::from(Inner);
        assert!(ApiError::backtrace(&error).is_some());
    }
}
