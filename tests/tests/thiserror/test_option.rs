// macaron: thiserror builds these types on nightly only, where `provide`
// exists; macaron on stable. That they compile is the test.

pub mod structs {
    use macaron_core::ApiError;
    use std::backtrace::Backtrace;

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct OptSourceNoBacktrace {
        #[source]
        pub source: Option<anyhow::Error>,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct OptSourceAlwaysBacktrace {
        #[source]
        pub source: Option<anyhow::Error>,
        pub backtrace: Backtrace,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct NoSourceOptBacktrace {
        #[backtrace]
        pub backtrace: Option<Backtrace>,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct AlwaysSourceOptBacktrace {
        pub source: anyhow::Error,
        #[backtrace]
        pub backtrace: Option<Backtrace>,
    }

    #[derive(ApiError, Debug)]
    #[error("...", status = 500)]
    pub struct OptSourceOptBacktrace {
        #[source]
        pub source: Option<anyhow::Error>,
        #[backtrace]
        pub backtrace: Option<Backtrace>,
    }
}

pub mod enums {
    use macaron_core::ApiError;
    use std::backtrace::Backtrace;

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum OptSourceNoBacktrace {
        #[error("...")]
        Test {
            #[source]
            source: Option<anyhow::Error>,
        },
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum OptSourceAlwaysBacktrace {
        #[error("...")]
        Test {
            #[source]
            source: Option<anyhow::Error>,
            backtrace: Backtrace,
        },
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum NoSourceOptBacktrace {
        #[error("...")]
        Test {
            #[backtrace]
            backtrace: Option<Backtrace>,
        },
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum AlwaysSourceOptBacktrace {
        #[error("...")]
        Test {
            source: anyhow::Error,
            #[backtrace]
            backtrace: Option<Backtrace>,
        },
    }

    #[derive(ApiError, Debug)]
    #[error(status = 500)]
    pub enum OptSourceOptBacktrace {
        #[error("...")]
        Test {
            #[source]
            source: Option<anyhow::Error>,
            #[backtrace]
            backtrace: Option<Backtrace>,
        },
    }
}
