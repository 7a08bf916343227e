//! E0446 and W0411: the platform's `images` (databases, caches, the proxy sidecar) must name an
//! image bdc runs, of the major version its key says; and every such image that partners run
//! should be pinned by digest, like a stable release's (W0401).

use crate::check::shapes;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::images::{self, default_image};
use crate::model::{Fleet, ServiceMode};
use crate::source::Span;
use indexmap::IndexMap;

/// E0446: a key that names no image bdc runs, or a pinned image tagged with another major
/// version than its key's.
pub fn image_keys(fleet: &Fleet, d: &mut Diagnostics) {
    let Some(platform) = &fleet.platform else { return };
    let keys = images::keys();
    for (key, value) in &platform.images {
        if default_image(key).is_none() {
            d.push(
                Diagnostic::new(
                    Code::UnknownImageKey,
                    value.span,
                    format!("`images` of platform `{}` names `{key}`, which bdc does not run", platform.name.value),
                    "no such database, cache or sidecar",
                )
                .maybe_help(crate::suggest::did_you_mean(key, keys.iter().map(String::as_str)))
                .note("keys are `postgres:13` to `postgres:17`, `redis:6` to `redis:8` and `cloud-sql-proxy`"),
            );
            continue;
        }
        let Some((_, major)) = key.split_once(':') else { continue };
        let tagged = tag(&value.value).map(|t| t.chars().take_while(char::is_ascii_digit).collect::<String>());
        if let Some(found) = tagged.filter(|v| !v.is_empty() && v != major) {
            d.push(
                Diagnostic::new(
                    Code::UnknownImageKey,
                    value.span,
                    format!("the image for `{key}` is tagged as major version {found}, not {major}"),
                    format!("version {found}"),
                )
                .help(format!("pin a `{key}` image here, or key this one `{}`", key.replace(major, &found))),
            );
        }
    }
}

/// The tag of an image reference, if it has one (`16.4` of `postgres:16.4@sha256:…`).
fn tag(reference: &str) -> Option<&str> {
    let name = reference.split('@').next().unwrap_or_default();
    let last = name.rsplit('/').next().unwrap_or_default();
    last.split_once(':').map(|(_, t)| t)
}

/// W0411: an image partners run on their own targets, given by tag; one warning per image, at
/// the platform's pin or, when there is none, at the first service that runs it.
pub fn pinned_images(fleet: &Fleet, d: &mut Diagnostics) {
    let Some(platform) = &fleet.platform else { return };
    // Key → (image, where to report, first partner and service, partners that run it).
    let mut seen: IndexMap<String, (String, Span, String, String, usize)> = IndexMap::new();
    for p in fleet.partners.iter().filter(|p| !p.poisoned) {
        let Some(target) = fleet.targets.iter().find(|t| t.name.value == p.target) else { continue };
        for (key, s) in images::used(p, target, platform) {
            // A managed service on a plain cluster is refused already (E0422).
            if key != images::PROXY && crate::model::service_mode(s, target, platform) == ServiceMode::Managed {
                continue;
            }
            let (image, pinned_at) = images::image(platform, &key);
            if image.is_empty() || shapes::is_digest(&image) {
                continue;
            }
            let entry = seen
                .entry(key)
                .or_insert_with(|| (image, pinned_at.unwrap_or(s.span), p.name.value.clone(), s.name.value.clone(), 0));
            entry.4 += 1;
        }
    }
    for (key, (image, span, partner, service, count)) in seen {
        let who = match count {
            1 => format!("partner `{partner}`"),
            n => format!("partner `{partner}` and {} more", n - 1),
        };
        let what =
            if key == images::PROXY { "the Cloud SQL Auth Proxy sidecar".to_string() } else { format!("`{key}`") };
        let repository = image.split('@').next().unwrap_or_default();
        d.push(
            Diagnostic::new(
                Code::FloatingServiceImage,
                span,
                format!("{what} runs `{image}` by tag (service `{service}` of {who})"),
                "a tag can be moved to another image",
            )
            .help(format!(
                "pin it by digest on platform `{}`: `images {{ \"{key}\" = \"{repository}@sha256:…\" }}`",
                platform.name.value
            )),
        );
    }
}
