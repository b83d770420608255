//! The output folder under attack: a source folder, a folder polis did not make, a file, a link,
//! a read-only or mounted folder, a build killed or stopped by a signal at any moment.

use super::*;

#[test]
fn output_into_a_source_folder_is_refused() {
    let site = example();
    for target in ["content", "themes/default", "."] {
        let out = site.polis(&["build", "--output", &site.path(target).to_string_lossy()]);
        assert_eq!(out.status.code(), Some(2), "--output {target}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("refusing"),
            "--output {target}"
        );
    }
    assert!(site.path("content/privacy.nl.md").exists());
}

#[test]
fn a_folder_polis_did_not_make_is_not_replaced() {
    let site = fixture("minimal");
    std::fs::create_dir_all(site.path("public")).unwrap();
    std::fs::File::create(site.path("public/precious.txt"))
        .unwrap()
        .write_all(b"keep me")
        .unwrap();
    let out = site.polis(&["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(site.read("public/precious.txt"), "keep me");
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let site = example();
    let first = site.path("first");
    let second = site.path("second");
    assert!(
        site.polis(&["build", "--output", &first.to_string_lossy()])
            .status
            .success()
    );
    assert!(
        site.polis(&["build", "--output", &second.to_string_lossy()])
            .status
            .success()
    );
    assert_eq!(site.tree("first"), site.tree("second"));
}

#[test]
fn an_output_that_is_a_file_is_not_replaced() {
    let site = fixture("minimal");
    site.write("notes.txt", "my notes");
    let out = site.polis(&[
        "build",
        "--output",
        &site.path("notes.txt").to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("notes.txt: it is a file, not a folder that polis made"),
        "{stderr}"
    );
    assert_eq!(site.read("notes.txt"), "my notes");
}

/// A link in the site folder to a folder outside it, and an output named through it.
#[cfg(unix)]
#[test]
fn no_output_is_written_through_a_link_in_the_site_folder() {
    let site = fixture("minimal");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join(".bashrc"), "keep me").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("lnk")).unwrap();
    for output in ["lnk/.bashrc", "lnk/newdir"] {
        site.edit(SITE, |y| {
            if let Some(at) = y.find("\n  output: ") {
                let end = y[at + 1..].find('\n').map_or(y.len(), |e| at + 1 + e);
                y.replace_range(at..end, "");
            }
            replace(
                y,
                "  effective_date: 2026-01-01",
                &format!("  effective_date: 2026-01-01\n  output: {output}"),
            );
        });
        let out = site.polis(&["build"]);
        assert_eq!(out.status.code(), Some(2), "output: {output}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(
                "is a symbolic link inside the site folder, and polis does not write through links"
            ),
            "{stderr}"
        );
        // The same through --output.
        let out = site.polis(&["build", "--output", &site.path(output).to_string_lossy()]);
        assert_eq!(out.status.code(), Some(2), "--output {output}");
    }
    let left: Vec<String> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, [".bashrc"]);
    assert_eq!(
        std::fs::read_to_string(outside.path().join(".bashrc")).unwrap(),
        "keep me"
    );
}

/// An output that is itself a link into the sources is neither written nor republished.
#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_into_the_sources_is_refused() {
    let site = fixture("minimal");
    std::fs::create_dir_all(site.path("content")).unwrap();
    std::os::unix::fs::symlink(site.path("content"), site.path("public")).unwrap();
    let out = site.polis(&["build"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("public is a symbolic link inside the site folder"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(site.path("content")).unwrap().count(),
        0,
        "nothing was written into content/"
    );
}

/// What a killed build leaves (a staging folder with the marker, unlocked) goes at the next build;
/// a folder of the same shape that polis did not make stays.
#[test]
fn a_killed_build_leaves_nothing_the_next_build_keeps() {
    let site = fixture("minimal");
    site.write(
        ".public.staging-abc123/.polis-output",
        "This folder is written by polis build",
    );
    site.write(".public.staging-abc123/nl/index.html", "half a page");
    site.write(".public.staging-mine/notes.txt", "not polis's");
    let out = site.polis(&["build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !site.path(".public.staging-abc123").exists(),
        "the stale staging folder is removed"
    );
    assert_eq!(site.read(".public.staging-mine/notes.txt"), "not polis's");
    let left: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.") && n != ".public.polis-output")
        .collect();
    assert_eq!(left, [".public.staging-mine"]);
}

/// An output made read-only after it was built is replaced, and no copy of it is left beside it
/// (each build used to leave one). Permissions bind only a user other than root: as root, the
/// build runs as `nobody` (setpriv); otherwise the test says why it does nothing.
#[cfg(unix)]
#[test]
fn a_read_only_output_is_replaced_without_leaving_a_copy() {
    use std::os::unix::fs::PermissionsExt;
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let has_setpriv = std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = match (is_root, has_setpriv) {
        (false, _) => Some("not root".to_owned()),
        (true, false) => Some("no `setpriv`".to_owned()),
        (true, true) => None,
    };
    let test = "a_read_only_output_is_replaced_without_leaving_a_copy";
    if machine::skip(
        test,
        machine::Need::Root,
        "root and setpriv, to build as another user",
        missing,
    ) {
        return;
    }
    let place = tempfile::Builder::new()
        .prefix("polis-ro")
        .tempdir_in("/tmp")
        .unwrap();
    std::fs::set_permissions(place.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let bin = place.path().join("polis");
    std::fs::copy(env!("CARGO_BIN_EXE_polis"), &bin).unwrap();
    let site = place.path().join("site");
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"),
        &site,
    );
    let chown = std::process::Command::new("chown")
        .args(["-R", "nobody"])
        .arg(&site)
        .status()
        .unwrap();
    assert!(chown.success());
    let script = format!(
        "cd '{}' && '{}' build >/dev/null && chmod -R a-w public && '{}' build >/dev/null && '{}' build >/dev/null",
        site.display(),
        bin.display(),
        bin.display(),
        bin.display()
    );
    let status = std::process::Command::new("setpriv")
        .args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "sh",
            "-c",
            &script,
        ])
        .status()
        .unwrap();
    assert!(status.success(), "the builds as nobody failed");
    let left: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.") && n != ".public.polis-output")
        .collect();
    assert_eq!(left, Vec::<String>::new());
    assert!(site.join("public/nl/privacyverklaring/index.html").exists());
    let _ = std::process::Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(&site)
        .status();
}

/// An output that is a mount point cannot be swapped out: a clear error, and nothing left in it or
/// beside it. Mounting needs root; elsewhere the test says why it does nothing.
#[cfg(target_os = "linux")]
#[test]
fn an_output_that_is_a_mount_point_is_refused() {
    let place = tempfile::tempdir().unwrap();
    let mount_point = place.path().join("public");
    std::fs::create_dir(&mount_point).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "tmpfs"])
        .arg(&mount_point)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let missing = (!mounted).then(|| "`mount -t tmpfs` failed".to_owned());
    let test = "an_output_that_is_a_mount_point_is_refused";
    if machine::skip(test, machine::Need::Root, "root, to mount a tmpfs", missing) {
        return;
    }
    let site = fixture("minimal");
    let out = site.polis(&["build", "--output", &mount_point.to_string_lossy()]);
    let listed = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
    };
    let (inside, beside) = (listed(&mount_point), listed(place.path()));
    let _ = std::process::Command::new("umount")
        .arg(&mount_point)
        .status();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("public: it is a mount point, and polis replaces its output folder whole"),
        "{stderr}"
    );
    assert_eq!(inside, Vec::<String>::new());
    assert_eq!(beside, ["public"]);
}

/// A build stopped by a signal, SIGTERM or Ctrl-C's SIGINT, at any moment (reading, rendering,
/// in the middle of writing a 50 MB file, swapping) leaves a whole output, the old one or the new
/// one, and no staging folder beside it.
#[cfg(unix)]
#[test]
fn a_build_stopped_by_a_signal_leaves_a_whole_output_and_no_staging_folder() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    use std::time::Instant;
    const BIG: &str = "themes/default/static/big.bin";
    let site = fixture("minimal");
    // The two outputs: one with a big file of `a`s, one of `b`s. Each run builds the other one.
    let fills = [b'a', b'b'];
    let mut whole = Vec::new();
    let mut took = Duration::ZERO;
    for fill in fills {
        site.write(BIG, vec![fill; 50 << 20]);
        let started = Instant::now();
        let out = site.polis(&["build"]);
        took = started.elapsed();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        whole.push(site.tree("public"));
    }
    let mut current = 1;
    let mut stopped = 0;
    // Signals spread over the time a whole build takes.
    for step in 0..32 {
        let signal = if step % 2 == 0 { "TERM" } else { "INT" };
        let delay = took * (step / 2) / 16;
        let next = 1 - current;
        site.write(BIG, vec![fills[next]; 50 << 20]);
        let mut child = polis_command(site.root())
            .arg("build")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let sent = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let status = wait_at_most(&mut child, Duration::from_secs(60))
            .unwrap_or_else(|| panic!("a build sent SIG{signal} did not end within 60 s"));
        let when = format!("SIG{signal} after {delay:?}: {status:?}");
        match (status.code(), status.signal()) {
            // The build was over before the signal came.
            (Some(0), _) => {}
            (Some(130), _) | (None, Some(2 | 15)) => stopped += 1,
            _ => panic!("{when}"),
        }
        assert_eq!(staging_left(site.root()), Vec::<String>::new(), "{when}");
        let now = site.tree("public");
        current = whole.iter().position(|w| *w == now).unwrap_or_else(|| {
            let files: Vec<(&String, usize)> = now
                .iter()
                .map(|(path, bytes)| (path, bytes.len()))
                .collect();
            panic!("{when}: the output is neither the old one nor the new one: {files:?}")
        });
        if status.code() == Some(0) {
            assert_eq!(
                current, next,
                "{when}: a build that ended well wrote the new output"
            );
        }
    }
    assert!(stopped > 0, "no build was stopped by a signal");
}

/// What a host publishes of the output folder is the site alone: the marker that says the folder
/// is polis's, with the list of the files polis wrote, is kept beside it (`.public.polis-output`),
/// not in it, where Cloudflare Pages or a plain web server would publish it. An output that an
/// earlier polis marked inside is still polis's, and its marker moves out at the next build.
#[test]
fn the_marker_is_kept_beside_the_output_not_published_in_it() {
    let site = fixture("minimal");
    assert_eq!(site.polis(&["build"]).status.code(), Some(0));
    let published: Vec<String> = site.tree("public").into_keys().collect();
    assert!(
        !published.iter().any(|f| f.contains("polis-output")),
        "{published:?}"
    );
    let manifest = site.read(".public.polis-output");
    for file in &published {
        assert!(
            manifest.lines().any(|l| l == file),
            "{file} not in:\n{manifest}"
        );
    }
    // A second build replaces what the first wrote, and still refuses a file someone added.
    assert_eq!(site.polis(&["build"]).status.code(), Some(0));
    site.write("public/notes.txt", "mine");
    let out = site.polis(&["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("`notes.txt`, which polis did not write"),
        "{out:?}"
    );
    site.remove("public/notes.txt");

    // The marker as an earlier polis left it: inside, and nothing beside.
    site.remove(".public.polis-output");
    site.write("public/.polis-output", &manifest);
    let out = site.polis(&["build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!site.path("public/.polis-output").exists());
    assert!(site.path(".public.polis-output").is_file());
    let left: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert_eq!(left, [".public.polis-output"], "no temporary file left");
}
