//! `GET /api/v1/alerts/stream`: Server-Sent Events `new`, `updated`, `ended` (data: the
//! [`AlertEvent`] as JSON; id: the message's stored id). A client that reconnects with
//! `Last-Event-ID` first gets what it missed (`resync` when that is more than a replay holds).
//! A client too slow to keep up gets `resync`: fetch `/api/v1/alerts` again. Events may repeat
//! across a reconnect: deduplicate by id. Ids are taken on receipt and messages are judged in
//! any order, so a live event may carry a lower id than one already sent: it is sent all the
//! same (only the very messages of the replay are skipped when they come live).

use std::{
    collections::{BTreeSet, VecDeque},
    convert::Infallible,
    sync::Arc,
    time::Duration,
};

use axum::{
    extract::State,
    http::HeaderMap,
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use futures::stream::{self, Stream};
use tokio::sync::broadcast::{self, error::RecvError};

use super::hub::{AlertEvent, EventKind, Replay};
use crate::warnings::Warnings;

/// How long a browser waits before reconnecting after the stream drops.
const RETRY: Duration = Duration::from_secs(3);

/// A comment every so often keeps proxies and mobile networks from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

pub async fn alert_stream(State(state): State<Warnings>, headers: HeaderMap) -> Response {
    let last_seen =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());
    // Subscribe before replaying, so nothing accepted in between is lost (a repeat is possible).
    let receiver = state.hub.subscribe();
    let replay = match last_seen {
        Some(after) => state.hub.replay_after(after).await,
        None => Replay { events: Vec::new(), complete: true },
    };
    let mut response =
        Sse::new(events(replay, receiver)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response();
    // Tell buffering proxies (nginx) to pass events through at once.
    response.headers_mut().insert("x-accel-buffering", http::HeaderValue::from_static("no"));
    response
}

struct Feed {
    first: bool,
    replay: VecDeque<AlertEvent>,
    /// The replay was cut short: say `resync` once it is sent.
    resync_after_replay: bool,
    /// Ids sent in the replay, which the live channel may bring again.
    replayed: BTreeSet<i64>,
    receiver: broadcast::Receiver<Arc<AlertEvent>>,
}

fn resync() -> Event {
    Event::default().event("resync").data("{}")
}

fn events(
    replay: Replay,
    receiver: broadcast::Receiver<Arc<AlertEvent>>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let feed = Feed {
        first: true,
        replayed: replay.events.iter().map(|e| e.id).collect(),
        replay: replay.events.into(),
        resync_after_replay: !replay.complete,
        receiver,
    };
    stream::unfold(feed, |mut feed| async move {
        if feed.first {
            feed.first = false;
            return Some((Ok(Event::default().retry(RETRY).comment("safejdz alerts")), feed));
        }
        if let Some(event) = feed.replay.pop_front() {
            return Some((Ok(sse_event(&event)), feed));
        }
        if feed.resync_after_replay {
            feed.resync_after_replay = false;
            return Some((Ok(resync()), feed));
        }
        loop {
            match feed.receiver.recv().await {
                // Already sent in the replay.
                Ok(event) if feed.replayed.remove(&event.id) => continue,
                Ok(event) => return Some((Ok(sse_event(&event)), feed)),
                Err(RecvError::Lagged(_)) => return Some((Ok(resync()), feed)),
                Err(RecvError::Closed) => return None,
            }
        }
    })
}

fn sse_event(event: &AlertEvent) -> Event {
    let name = match event.kind {
        EventKind::New => "new",
        EventKind::Updated => "updated",
        EventKind::Ended => "ended",
    };
    let data = serde_json::to_string(event).expect("an AlertEvent serializes: plain data with string keys");
    Event::default().id(event.id.to_string()).event(name).data(data)
}
