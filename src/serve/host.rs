//! The `Host` a request may name: the defence against DNS rebinding.
//!
//! A web page can point its own name at 127.0.0.1 after the browser has loaded it; its scripts
//! then reach `polis serve` as that same site and may read the drafts and the error overlay. The
//! browser still sends the page's name as `Host`, so the server answers only names that cannot be
//! rebound: `localhost`, and IP addresses, which no one can point elsewhere. Of those, loopback
//! addresses and the bound address; when bound to every address (`0.0.0.0`, `::`), any IP
//! address, since the machine's own are not known and a request reaches it only by one of them.
//!
//! The port is not compared: a rebinding page uses the server's own port anyway, and a port that
//! differs is a tunnel or a container's port mapping (`ssh -L 8080:localhost:1111`). A request
//! without `Host` (HTTP/1.0) is answered: browsers always send one.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The hosts a server bound to one address answers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hosts {
    bound: IpAddr,
}

/// What a `Host` value names, when it is one that cannot be rebound.
#[derive(Debug, PartialEq)]
enum Unbindable {
    Localhost,
    Ip(IpAddr),
}

impl Hosts {
    /// The hosts of a server bound to `bound`.
    pub(crate) fn new(bound: IpAddr) -> Self {
        Hosts {
            bound: bound.to_canonical(),
        }
    }

    /// Whether a request naming `host` (a `Host` header, or the authority of an absolute URI) is
    /// answered.
    fn allows(&self, host: &[u8]) -> bool {
        match parse(host) {
            Some(Unbindable::Localhost) => true,
            Some(Unbindable::Ip(ip)) => {
                let ip = ip.to_canonical();
                ip.is_loopback() || ip == self.bound || self.bound.is_unspecified()
            }
            None => false,
        }
    }

    /// The hosts answered, for the refusal.
    fn answered(&self) -> String {
        if self.bound.is_unspecified() {
            return "localhost or an IP address of this machine".into();
        }
        let mut names = vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            "[::1]".to_owned(),
        ];
        let own = match self.bound {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        if !names.contains(&own) {
            names.push(own);
        }
        let last = names.pop().unwrap_or_default();
        format!("{} or {last}", names.join(", "))
    }
}

/// `host[:port]` or `[v6]:port`, when `host` is `localhost` or an IP address in its usual form.
/// Anything else is a name that could be rebound (`127.0.0.1.nip.io`, `localhost.example`).
fn parse(host: &[u8]) -> Option<Unbindable> {
    let host = std::str::from_utf8(host).ok()?;
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (inside, port) = rest.split_once(']')?;
            (
                Unbindable::Ip(IpAddr::V6(inside.parse::<Ipv6Addr>().ok()?)),
                port,
            )
        }
        None => {
            let (name, port) = host.find(':').map_or((host, ""), |at| host.split_at(at));
            let name = if name.eq_ignore_ascii_case("localhost") {
                Unbindable::Localhost
            } else {
                Unbindable::Ip(IpAddr::V4(name.parse::<Ipv4Addr>().ok()?))
            };
            (name, port)
        }
    };
    let port_ok = match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => {
            !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && digits.parse::<u16>().is_ok()
        }
    };
    port_ok.then_some(name)
}

/// Refuses, with 421 Misdirected Request, a request whose `Host` (or absolute URI) names a host
/// that is not answered; passes every other request on. It wraps every route, the event stream
/// included.
pub(crate) async fn refuse_other_hosts(
    State(hosts): State<Hosts>,
    request: Request,
    next: Next,
) -> Response {
    let named = request.uri().authority().map(|a| a.as_str().as_bytes());
    let headers = request
        .headers()
        .get_all(header::HOST)
        .iter()
        .map(HeaderValue::as_bytes);
    if let Some(refused) = named
        .into_iter()
        .chain(headers)
        .find(|host| !hosts.allows(host))
    {
        let body = format!(
            "polis serve refuses Host `{}`: it answers only requests for {}, so that no other web site can read these drafts by pointing its name at this machine (DNS rebinding)\n",
            String::from_utf8_lossy(refused),
            hosts.answered()
        );
        return (
            StatusCode::MISDIRECTED_REQUEST,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            body,
        )
            .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(bound: &str, host: &str) -> bool {
        Hosts::new(bound.parse().expect("an IP address")).allows(host.as_bytes())
    }

    #[test]
    fn loopback_answers_localhost_and_loopback_addresses_only() {
        for host in [
            "localhost",
            "localhost:1111",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:1111",
            "127.0.0.2:80",
        ] {
            assert!(answered("127.0.0.1", host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "localhost.evil.example",
            "localhost.",
            "user@localhost",
            "192.168.1.10:1111",
            "0.0.0.0:1111",
            "127.1:1111",
            "127.0.0.1:",
            "127.0.0.1:+80",
            "127.0.0.1:99999",
            "[::1]x",
            "[fe80::1%25eth0]",
            "",
        ] {
            assert!(!answered("127.0.0.1", host), "{host}");
        }
    }

    #[test]
    fn another_address_answers_itself_and_loopback() {
        for host in [
            "192.168.1.10:1111",
            "192.168.1.10",
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
        ] {
            assert!(answered("192.168.1.10", host), "{host}");
        }
        for host in ["192.168.1.11:1111", "laptop.local:1111", "evil.example"] {
            assert!(!answered("192.168.1.10", host), "{host}");
        }
        assert!(answered("fe80::1", "[fe80::1]:1111"));
        // Bound to `::`, IPv4 clients arrive as mapped addresses; the Host names them plainly.
        assert!(answered("::ffff:192.168.1.10", "192.168.1.10:1111"));
    }

    #[test]
    fn every_address_answers_any_ip_address_and_no_name() {
        for bound in ["0.0.0.0", "::"] {
            for host in [
                "0.0.0.0:1111",
                "192.168.1.10:1111",
                "[fd00::2]:1111",
                "localhost:1111",
                "127.0.0.1",
            ] {
                assert!(answered(bound, host), "{bound}: {host}");
            }
            for host in ["laptop.local:1111", "evil.example"] {
                assert!(!answered(bound, host), "{bound}: {host}");
            }
        }
    }

    #[test]
    fn the_refusal_names_the_hosts_answered() {
        let answered = |bound: &str| Hosts::new(bound.parse().expect("an IP address")).answered();
        assert_eq!(answered("127.0.0.1"), "localhost, 127.0.0.1 or [::1]");
        assert_eq!(answered("::1"), "localhost, 127.0.0.1 or [::1]");
        assert_eq!(
            answered("192.168.1.10"),
            "localhost, 127.0.0.1, [::1] or 192.168.1.10"
        );
        assert_eq!(
            answered("fe80::1"),
            "localhost, 127.0.0.1, [::1] or [fe80::1]"
        );
        assert_eq!(
            answered("0.0.0.0"),
            "localhost or an IP address of this machine"
        );
    }
}
