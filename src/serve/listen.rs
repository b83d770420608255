//! Accepting connections: what `axum::serve` does, with the two limits it has no option for.
//!
//! A connection must send a complete request head within [`HEADER_TIMEOUT`] of opening, or of
//! the end of its previous answer; one that sends nothing, or a byte now and then, is closed
//! instead of holding a file descriptor for good. hyper's timer runs only while it waits for a
//! head, so a long answer (the event stream of an open tab) is not cut.
//!
//! On Ctrl-C, accepting stops and the connections get [`DRAIN`] to finish their answers. An event
//! stream never finishes: without the limit, an open tab kept `polis serve` from stopping.

use std::future::Future;
use std::io;
use std::pin::pin;
use std::time::Duration;

use axum::Router;
use futures_util::future::{Either, select};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

/// How long a connection may take to send a request head.
pub(crate) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long answers under way may take to finish once the server stops.
const DRAIN: Duration = Duration::from_secs(1);

/// Serves `app` on `listener` over HTTP/1.1 until `shutdown` completes.
pub(crate) async fn serve(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let (stop, stopping) = tokio::sync::watch::channel(());
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let stream = match select(pin!(listener.accept()), shutdown.as_mut()).await {
            Either::Left((Ok((stream, _)), _)) => stream,
            Either::Right(_) => break,
            Either::Left((Err(e), _)) => {
                wait_after_accept_error(&e).await;
                continue;
            }
        };
        // The answers are small and written whole: no reason to hold them back.
        let _ = stream.set_nodelay(true);
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let mut connection = pin!(connection);
            if let Either::Right(_) = select(connection.as_mut(), pin!(stopping.changed())).await {
                connection.as_mut().graceful_shutdown();
                let _ = connection.await;
            }
        });
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = stop.send(());
    let _ = tokio::time::timeout(DRAIN, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    // Dropping the set ends the connections still open.
}

/// A connection that failed before it was accepted concerns only that client; anything else
/// (too many open files) is the machine's, and accepting at once would fail again at once.
async fn wait_after_accept_error(e: &io::Error) {
    let client_gone = matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    );
    if !client_gone {
        eprintln!("cannot accept a connection: {e}");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
