//! The schemas of error bodies: `ErrorBody`'s, which documents register
//! once, and that of problem details, written inline in each response.

use crate::ErrorBody;
use serde_json::json;
use std::borrow::Cow;
use utoipa::openapi::schema::{Object, ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

/// A string property of a schema.
fn text(description: &str) -> ObjectBuilder {
    Object::builder()
        .schema_type(Type::String)
        .description(Some(description))
}

/// The `status` property of both renderings.
fn status() -> ObjectBuilder {
    Object::builder()
        .schema_type(Type::Integer)
        .minimum(Some(400))
        .maximum(Some(599))
        .description(Some("The HTTP status of the response."))
}

impl PartialSchema for ErrorBody {
    fn schema() -> RefOr<Schema> {
        Object::builder()
            .schema_type(Type::Object)
            .description(Some(
                "The body of every error response. Errors may add keys of their own.",
            ))
            .property(
                "error",
                text("The error's code, such as `INVALID_USER`: stable, for programs."),
            )
            .required("error")
            .property(
                "error_description",
                text("What went wrong, for developers."),
            )
            .required("error_description")
            .property(
                "user_message",
                text("A message to show the end user, for errors that have one."),
            )
            .property("status", status())
            .required("status")
            .property(
                "error_id",
                text("The id of this occurrence, also in its crash report: quote it when asking for help."),
            )
            .examples([json!({
                "error": "INVALID_USER",
                "error_description": "DB entry not found",
                "user_message": "Sorry, we don't know you",
                "status": 401,
            })])
            .into()
    }
}

impl ToSchema for ErrorBody {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ErrorBody")
    }
}

/// The schema of problem details (RFC 9457) as macaron writes them,
/// inline: a document that registered only `ErrorBody` stays valid.
pub(super) fn problem_details_schema() -> Object {
    Object::builder()
        .schema_type(Type::Object)
        .description(Some(
            "The error as RFC 9457 problem details, for clients that ask for `application/problem+json`. `code`, `user_message`, `error_id` and the error's extra keys are extension members.",
        ))
        .property(
            "type",
            text("A URI naming the kind of error, or `about:blank`."),
        )
        .required("type")
        .property("title", text("The status' reason phrase."))
        .required("title")
        .property("status", status())
        .required("status")
        .property("detail", text("What went wrong, for developers."))
        .required("detail")
        .property("instance", text("The path of the request."))
        .property(
            "code",
            text("The error's code, such as `INVALID_USER`: stable, for programs."),
        )
        .required("code")
        .property(
            "user_message",
            text("A message to show the end user, for errors that have one."),
        )
        .property(
            "error_id",
            text("The id of this occurrence, also in its crash report."),
        )
        .build()
}
