//! Deployment files: how the old framework is started, served and installed. A port changes
//! every one that names the framework (the WSGI entry point, gunicorn's `module:app`, an
//! nginx upstream, a systemd unit running `flask run`), and installation manifests show that
//! the data lives on machines the team does not run.

use crate::inventory::DeployFile;

/// The kind of deployment file at root-relative `rel`, if it is one.
pub fn classify(rel: &str) -> Option<&'static str> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    let dirs: Vec<&str> = rel.split('/').rev().skip(1).collect();
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml") || lower.ends_with(".yml.tmpl");
    Some(if lower.starts_with("procfile") {
        "procfile"
    } else if lower.starts_with("dockerfile") || lower.ends_with(".dockerfile") {
        "dockerfile"
    } else if (lower.starts_with("docker-compose") || lower.starts_with("compose.")) && yaml {
        "compose"
    } else if lower.starts_with("gunicorn") && (lower.ends_with(".py") || lower.contains(".conf")) {
        "gunicorn"
    } else if lower.starts_with("uwsgi") && (lower.ends_with(".ini") || yaml)
        || lower.ends_with(".uwsgi")
    {
        "uwsgi"
    } else if lower.ends_with(".service") || lower.ends_with(".socket") {
        "systemd"
    } else if (lower.contains("nginx") || dirs.contains(&"nginx"))
        && (lower.ends_with(".conf") || lower.ends_with(".tmpl") || lower == "nginx")
    {
        "nginx"
    } else if lower.contains("supervisor") && (lower.ends_with(".conf") || lower.ends_with(".ini"))
    {
        "supervisor"
    } else if lower == "fabfile.py" {
        "fabric"
    } else if lower.starts_with("balena") && yaml {
        "balena"
    } else if dirs.contains(&"ansible") && yaml {
        "ansible"
    } else if lower == "wsgi.py" || lower.ends_with(".wsgi") || lower == "app.yaml" {
        "wsgi"
    } else if lower == "install.sh" || lower == "setup.sh" && dirs.is_empty() {
        "installer"
    } else {
        return None;
    })
}

/// Words that show a file runs or builds the Python application.
const APP_WORDS: &[&str] = &[
    "flask",
    "django",
    "gunicorn",
    "uwsgi",
    "wsgi",
    "waitress",
    "python",
    ".py",
    "requirements",
];

/// The file's entry: its kind and the first line that mentions the application.
pub fn file(rel: &str, kind: &'static str, text: &str) -> DeployFile {
    let mentions_app = text
        .lines()
        .position(|l| {
            let l = l.to_ascii_lowercase();
            APP_WORDS.iter().any(|w| l.contains(w))
        })
        .map(|i| i as u32 + 1);
    DeployFile {
        file: rel.to_string(),
        kind: kind.to_string(),
        mentions_app,
    }
}

/// Whether a port has to change the file: it runs or builds the app, or it is the web server
/// in front of it (an nginx configuration proxies to the app whatever it names).
pub fn runs_app(d: &DeployFile) -> bool {
    match d.kind.as_str() {
        "ansible" | "balena" => false,
        // These exist only to serve the application.
        "nginx" | "wsgi" | "procfile" | "gunicorn" | "uwsgi" | "supervisor" => true,
        _ => d.mentions_app.is_some(),
    }
}

/// Kinds that show the software is installed on machines its team does not run.
pub fn is_installation(kind: &str) -> bool {
    matches!(kind, "systemd" | "ansible" | "balena" | "installer")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(classify("Procfile"), Some("procfile"));
        assert_eq!(
            classify("docker/Dockerfile.server.tmpl"),
            Some("dockerfile")
        );
        assert_eq!(classify("docker-compose.dev.yml"), Some("compose"));
        assert_eq!(classify("deploy/gunicorn.conf.py"), Some("gunicorn"));
        assert_eq!(classify("uwsgi.ini"), Some("uwsgi"));
        assert_eq!(
            classify("ansible/roles/x/templates/a.service"),
            Some("systemd")
        );
        assert_eq!(classify("docker/nginx/nginx.conf"), Some("nginx"));
        assert_eq!(classify("ansible/site.yml"), Some("ansible"));
        assert_eq!(classify("wsgi.py"), Some("wsgi"));
        assert_eq!(classify("app/views.py"), None);
        assert_eq!(classify("README.md"), None);
        assert_eq!(classify("docs/setup.sh"), None);
    }

    #[test]
    fn mentions_the_app() {
        let f = file(
            "Procfile",
            "procfile",
            "release: x\nweb: gunicorn 'app:create_app()'\n",
        );
        assert_eq!(f.mentions_app, Some(2));
        assert!(runs_app(&f));
        let redis = file(
            "Dockerfile.redis",
            "dockerfile",
            "FROM redis:7\nCMD [\"redis-server\"]\n",
        );
        assert_eq!(redis.mentions_app, None);
        assert!(!runs_app(&redis));
        assert!(runs_app(&file(
            "nginx.conf",
            "nginx",
            "upstream app { server web:8000; }\n"
        )));
        assert!(!runs_app(&file(
            "ansible/site.yml",
            "ansible",
            "- hosts: all # python\n"
        )));
    }
}
