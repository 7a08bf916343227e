//! Partners: names at their limits, domains, every field, services in every mode the home
//! target offers, strategies the partner's backend can carry out.

use super::{Channel, Gen, PartnerInfo, Target};
use crate::property::open::{is_open, share};
use crate::property::spec::{lit, Decl};
use crate::property::values as v;

impl Gen {
    fn partner_name(&mut self, i: usize) -> String {
        let mut room = 63 - self.prefix.len();
        if is_open("long-partner-name") || is_open("long-service-name") {
            room = room.min(20);
        } else if !self.rng.chance(share("long-partner-name")) {
            // The longest name bdc derives is `<partner>-preview`.
            room = room.min(55);
        }
        let digits_first = self.rng.chance(share("digit-partner-name"));
        let double_hyphen = self.rng.chance(share("cloud-double-hyphen"));
        let name = match self.rng.below(12) {
            0 if digits_first => format!("{i}x"),
            1 if double_hyphen => format!("a--{i}"),
            2 => {
                let head = format!("long{i}-");
                format!("{head}{}", "l".repeat(room - head.len()))
            }
            3 => format!("site-{i}-{}", "m".repeat(20)),
            4 => format!("p{i}"),
            5 => format!("x{i}y"),
            6 if digits_first => format!("{i}"),
            _ => format!("news-{i}"),
        };
        name.chars().take(room).collect()
    }

    fn domains(&mut self, i: usize) -> String {
        let n = 1 + self.rng.below(3);
        let mut out = Vec::new();
        for k in 0..n {
            let ip = self.rng.chance(share("ip-domain"));
            let gke_unfit = self.rng.chance(share("gke-certificate-domains"));
            let d = match self.rng.below(10) {
                0 => format!("www.site{i}-{k}.kr"),
                1 if gke_unfit => format!("*.site{i}-{k}.example.org"),
                2 if gke_unfit => format!("{}.site{i}-{k}.com", "a".repeat(63)),
                3 if gke_unfit => {
                    // About 253 characters: four long labels.
                    let long = "b".repeat(60);
                    format!("{long}.{long}.{long}.{long}.s{i}{k}.io")
                }
                4 => format!("xn--bcher-kva.site{i}-{k}.de"),
                5 if ip => format!("10.{i}.{k}.1"),
                6 => format!("site{i}-{k}.example"),
                _ => format!("site{i}-{k}.example.com"),
            };
            out.push(lit(&d));
        }
        format!("[{}]", out.join(", "))
    }

    fn home(&mut self, d: &mut Decl) -> Target {
        if !self.clusters.is_empty() && self.rng.chance(25) {
            let (cluster, target) = self.rng.pick(&self.clusters).clone();
            d.set("cluster", cluster);
            if target != self.default_target || self.rng.chance(70) {
                d.set("target", target.clone());
            }
            return self.targets.iter().find(|t| t.name == target).expect("declared").clone();
        }
        if self.rng.chance(40) {
            let t = self.rng.pick(&self.targets).clone();
            d.set("target", t.name.clone());
            return t;
        }
        self.targets.iter().find(|t| t.name == self.default_target).expect("declared").clone()
    }

    fn services(&mut self, home: &Target) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for _ in 0..1 + self.rng.below(3) {
            // Open defect `cloud-name-length`: managed cache ids are at most 40 characters.
            let long = self.rng.chance(share("cloud-name-length").min(share("long-service-name")));
            let names: &[&str] = if long {
                &["db", "cache", "main-db", "a", "db2", "s-thirty-characters-long-name1", "x9"]
            } else {
                &["db", "cache", "main-db", "a", "db2", "x9"]
            };
            let name = self.rng.pick(names).to_string();
            if out.iter().any(|(n, _)| *n == name) {
                continue;
            }
            let postgres = self.rng.chance(55);
            let mut mode = self.rng.chance(50).then(|| *self.rng.pick(&["in_cluster", "managed", "external"]));
            let effective = mode.or(home.service_mode).or(self.platform_mode).unwrap_or("in_cluster");
            let effective = if effective == "managed" && home.provider == "k8s" {
                let m = *self.rng.pick(&["in_cluster", "external"]);
                mode = Some(m);
                m
            } else {
                effective
            };
            if effective == "managed" {
                self.managed_needed.push(home.name.clone());
            }
            let mut fields = Vec::new();
            if let Some(m) = mode {
                fields.push(format!("mode = {m}"));
            }
            if effective == "external" {
                fields.push(format!(
                    "host = {}",
                    lit(self.rng.pick(&["pg.internal", "10.1.2.3", "db.example.com", "x", "cache.legacy.internal"]))
                ));
                if self.rng.chance(50) {
                    fields.push(format!("port = {}", self.rng.pick(&["1", "5432", "6432", "6379", "65535"])));
                }
            }
            if self.rng.chance(30) {
                fields.push(format!("credentials = {}", lit(self.rng.pick(&["legacy-pg", "a.b", "db-credentials"]))));
            }
            if postgres {
                if self.rng.chance(50) {
                    // Open defect `aks-postgres-17`: ASO's FlexibleServer takes 11 to 16.
                    let top = if self.rng.chance(share("aks-postgres-17")) { 17 } else { 16 };
                    fields.push(format!("version = {}", self.rng.range(13, top)));
                }
                if self.rng.chance(50) {
                    fields.push(format!("size = {}", v::size(&mut self.rng)));
                }
                if self.rng.chance(50) {
                    fields.push(format!("plan = {}", self.rng.pick(&["small", "medium", "large"])));
                }
                if self.rng.chance(30) {
                    fields.push(format!("database = {}", lit(self.rng.pick(&["cms", "app_db", "db-1", "Data", "x"]))));
                }
                if self.rng.chance(30) {
                    let reserved = self.rng.chance(share("azure-reserved-login"));
                    fields.push(format!(
                        "user = {}",
                        lit(self.rng.pick(if !reserved {
                            &["site", "app_user", "u-1", "x"]
                        } else {
                            &["site", "app_user", "u-1", "admin", "x"]
                        }))
                    ));
                }
                out.push((name, format!("postgres {{ {} }}", fields.join(", "))));
            } else {
                if self.rng.chance(50) {
                    fields.push(format!(
                        "memory = {}",
                        self.rng.pick(&["64Mi", "256Mi", "512Mi", "1Gi", "1.5Gi", "8Gi", "100Gi"])
                    ));
                }
                if self.rng.chance(50) {
                    fields.push(format!("version = {}", self.rng.range(6, 8)));
                }
                out.push((name, format!("redis {{ {} }}", fields.join(", "))));
            }
        }
        out
    }

    pub(super) fn partners(&mut self, channels: &[Channel]) -> Vec<PartnerInfo> {
        let count = if self.rng.chance(5) { 20 + self.rng.below(20) } else { 1 + self.rng.below(6) };
        let mut infos = Vec::new();
        for i in 0..count {
            let name = self.partner_name(i);
            let mut d = Decl::new(format!("partner {}", lit(&name)));
            d.set("domains", self.domains(i));
            let home = self.home(&mut d);
            if self.rng.chance(70) {
                let (plan, _) = self.plan_ref();
                d.set("plan", plan);
            }
            let mut channel = None;
            if self.rng.chance(85) {
                let c = self.rng.pick(channels).name.clone();
                d.set("follows", c.clone());
                channel = Some(c);
            } else {
                let c = self.rng.pick(channels);
                let version = self.rng.pick(&c.versions).clone();
                d.set("release", lit(&version));
            }
            let replicas = if self.rng.chance(60) {
                let r = *self.rng.pick(&[(1u64, 1u64), (2, 4), (1, 10), (3, 3), (5, 100), (2, 2)]);
                d.set("replicas", format!("{}..{}", r.0, r.1));
                r
            } else {
                self.default_replicas.unwrap_or((2, 4))
            };
            let backend = self.rng.chance(30).then(|| *self.rng.pick(&["native", "argo"]));
            if let Some(b) = backend {
                d.set("backend", b);
            }
            let argo = backend.or(home.backend).or(self.platform_backend) == Some("argo");
            if self.rng.chance(50) {
                let allowed: Vec<String> =
                    self.strategies.iter().filter(|s| argo || !s.analysis).map(|s| s.reference.clone()).collect();
                let s = if self.rng.chance(30) {
                    self.strategy_body(argo).0
                } else if self.rng.chance(15) {
                    format!("strategies.blue_green with {{ auto_promote = {} }}", self.rng.chance(50))
                } else {
                    self.rng.pick(&allowed).clone()
                };
                d.set("strategy", s);
            }
            if self.rng.chance(50) {
                let n = 1 + self.rng.below(6);
                let entries = (0..n).map(|_| (v::env_key(&mut self.rng), v::env_value(&mut self.rng))).collect();
                d.map("env", super::dedup(entries));
            }
            if self.rng.chance(25) {
                let names = ["\"stripe-key\"", "\"a.b-c\"", "\"s3\"", "\"0-key\""];
                let n = 1 + self.rng.below(3);
                let mut chosen: Vec<&str> = (0..n).map(|_| *self.rng.pick(&names)).collect();
                chosen.sort_unstable();
                chosen.dedup();
                d.set("secrets", format!("[{}]", chosen.join(", ")));
            }
            let mut labels = Vec::new();
            if self.rng.chance(40) {
                let n = 1 + self.rng.below(3);
                let entries: Vec<(String, String)> =
                    (0..n).map(|_| (v::label_key(&mut self.rng), v::label_value(&mut self.rng))).collect();
                labels = super::dedup(entries);
                d.map("labels", labels.iter().map(|(k, val)| (k.clone(), lit(val))).collect());
            }
            if self.rng.chance(30) {
                d.set("team", v::free_text(&mut self.rng));
            }
            if self.rng.chance(30) {
                let id = if self.rng.chance(50) {
                    lit(self.rng.pick(&[
                        "arn:aws:iam::123456789012:role/site",
                        "site@acme-prod.iam.gserviceaccount.com",
                        "0f9b2c1e-8d3a-4b5c-9e7f-1a2b3c4d5e6f",
                    ]))
                } else {
                    v::free_text(&mut self.rng)
                };
                d.set("identity", id);
            }
            if self.rng.chance(20) {
                d.set("storage", v::size(&mut self.rng));
            }
            if self.rng.chance(30) {
                let n = 1 + self.rng.below(3);
                let list: Vec<String> = (0..n).map(|_| v::egress(&mut self.rng)).collect();
                let mut list = list;
                list.dedup();
                d.set("egress", format!("[{}]", list.join(", ")));
            }
            if self.rng.chance(15) {
                // Generous: every pod of a blue/green copy plus surge, at the largest plan, and
                // room for services.
                let pods = 3 * replicas.1 + 2;
                let cores = (self.biggest.cpu_limit * pods).div_ceil(1000) + 64;
                let gib = (self.biggest.mem_limit * pods).div_ceil(1 << 30) + 512;
                d.set("quota", format!("{{ cpu = {cores}, memory = {gib}Gi }}"));
            }
            if self.rng.chance(15) {
                d.set("static_ip", v::free_text(&mut self.rng));
            }
            if self.rng.chance(15) {
                d.set(
                    "certificate",
                    lit(self.rng.pick(&[
                        "arn:aws:acm:ap-northeast-2:123456789012:certificate/0f9b2c1e-8d3a-4b5c-9e7f-1a2b3c4d5e6f",
                        "https://bluedot.vault.azure.net/certificates/site/0123456789abcdef",
                    ])),
                );
            }
            let hold = self.rng.chance(10);
            if hold || self.rng.chance(5) {
                d.set("hold", hold.to_string());
            }
            if self.rng.chance(40) {
                let services = self.services(&home);
                d.map("services", services);
            }
            d.one_line = self.rng.chance(10);
            self.decls.push(d);
            infos.push(PartnerInfo { name, in_train: channel.is_some() && !hold, channel, labels });
        }
        infos
    }
}
