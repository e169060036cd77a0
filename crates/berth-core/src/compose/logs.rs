//! A project's logs (P3): every service's lines in one timeline. The last
//! lines of each container are read first and merged by their timestamps;
//! when following, each container is then followed from its last line on
//! (`since`), so nothing is shown twice or missed in between.

use std::collections::HashMap;

use futures_util::stream::{self, StreamExt, TryStreamExt};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::project::Target;
use crate::containers::logs::{LogLine, LogOptions};
use crate::error::Result;
use crate::Engine;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectLogOptions {
    pub project: String,
    /// Only these services; empty: all.
    #[serde(default)]
    pub services: Vec<String>,
    /// The last N lines of each container; None: all.
    pub tail: Option<u32>,
    pub follow: bool,
}

/// One line, with the service and replica it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectLine {
    pub service: String,
    /// The container's name (`web-app-1`, `web_app_1`).
    pub container: String,
    pub number: Option<u32>,
    pub line: LogLine,
}

/// An RFC 3339 time as the engine writes it (`…T12:00:00.5Z`, the
/// fraction's trailing zeros dropped) in a form that sorts: the fraction
/// padded to nine digits.
pub fn sort_key(ts: &str) -> String {
    let Some(body) = ts.strip_suffix('Z') else {
        return ts.to_string();
    };
    match body.split_once('.') {
        Some((secs, frac)) => format!("{secs}.{frac:0<9}Z"),
        None => format!("{body}.000000000Z"),
    }
}

/// An RFC 3339 UTC time as UNIX seconds with its fraction, as the logs
/// API's `since` takes it. None if it is not the engine's form.
pub fn unix_of(ts: &str) -> Option<String> {
    let body = ts.strip_suffix('Z')?;
    let (date, time) = body.split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let mut t = hms.split(':').map(|p| p.parse::<i64>().ok());
    let (h, mi, s) = (t.next()??, t.next()??, t.next()??);
    if !(1..=12).contains(&m)
        || !(1..=31).contains(&day)
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + s;
    Some(if frac.is_empty() {
        secs.to_string()
    } else {
        format!("{secs}.{frac}")
    })
}

type Batches = std::pin::Pin<Box<dyn Stream<Item = Result<Vec<ProjectLine>>> + Send>>;

impl Engine {
    /// `docker compose -p NAME logs [-f] [--tail N] [SERVICE...]`, merged by
    /// time.
    pub async fn project_logs(&self, o: &ProjectLogOptions) -> Result<Batches> {
        let target = Target {
            project: o.project.clone(),
            service: None,
        };
        let rows: Vec<_> = self
            .project_containers(&target)
            .await?
            .into_iter()
            .filter(|r| {
                o.services.is_empty()
                    || r.compose
                        .as_ref()
                        .is_some_and(|c| o.services.contains(&c.service))
            })
            .collect();
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| format!("{}.{:09}", d.as_secs(), d.subsec_nanos()))
            .unwrap_or_default();
        let tag = |r: &crate::containers::ContainerRow, line: LogLine| ProjectLine {
            service: r
                .compose
                .as_ref()
                .map(|c| c.service.clone())
                .unwrap_or_default(),
            container: r.name.clone(),
            number: r.compose.as_ref().and_then(|c| c.number),
            line,
        };
        let backlog_opts = LogOptions {
            follow: false,
            tail: o.tail,
            timestamps: true,
            since: None,
        };
        let mut backlog = Vec::new();
        let mut last: HashMap<String, String> = HashMap::new();
        for r in &rows {
            let lines: Vec<LogLine> = self
                .logs_fast(&r.id, &backlog_opts)
                .await?
                .try_concat()
                .await?;
            if let Some(ts) = lines.iter().rev().find_map(|l| l.timestamp.clone()) {
                last.insert(r.id.clone(), ts);
            }
            backlog.extend(lines.into_iter().map(|l| tag(r, l)));
        }
        backlog.sort_by_cached_key(|p| p.line.timestamp.as_deref().map(sort_key));
        let first = stream::iter((!backlog.is_empty()).then_some(Ok(backlog)));
        if !o.follow {
            return Ok(Box::pin(first));
        }
        let mut follows = Vec::new();
        for r in rows {
            let seen = last.get(&r.id).cloned();
            let since = seen.as_deref().and_then(unix_of).or(Some(started.clone()));
            let opts = LogOptions {
                follow: true,
                tail: None,
                timestamps: true,
                since,
            };
            let key = seen.as_deref().map(sort_key);
            let lines = self.logs_fast(&r.id, &opts).await?;
            follows.push(
                lines
                    .map(move |batch| {
                        batch.map(|b| {
                            b.into_iter()
                                // `since` is inclusive: the last line read
                                // comes again.
                                .filter(|l| {
                                    key.as_ref().is_none_or(|k| {
                                        l.timestamp.as_deref().map(sort_key).as_ref() > Some(k)
                                    })
                                })
                                .map(|l| tag(&r, l))
                                .collect::<Vec<_>>()
                        })
                    })
                    .filter(|b| std::future::ready(!matches!(b, Ok(v) if v.is_empty())))
                    .boxed(),
            );
        }
        Ok(Box::pin(first.chain(stream::select_all(follows))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_sort_by_their_value_not_their_text() {
        let a = "2026-12-01T12:00:00.1234Z";
        let b = "2026-12-01T12:00:00.12345Z";
        assert!(a > b, "as text the shorter fraction sorts after");
        assert!(sort_key(a) < sort_key(b));
        assert!(sort_key("2026-12-01T12:00:00Z") < sort_key(a));
    }

    #[test]
    fn rfc3339_becomes_unix_seconds() {
        assert_eq!(unix_of("1970-01-01T00:00:00Z").as_deref(), Some("0"));
        assert_eq!(
            unix_of("2026-12-01T12:00:00.5Z").as_deref(),
            Some("1796126400.5")
        );
        assert_eq!(
            unix_of("2000-02-29T00:00:01Z").as_deref(),
            Some("951782401")
        );
        assert_eq!(unix_of("garbage"), None);
        assert_eq!(unix_of("2026-13-01T00:00:00Z"), None);
        assert_eq!(unix_of("2026-12-01T00:00:00.5;rm Z"), None);
    }
}
