//! Releases on channels (versions at the label-value limit, tricky `args` and `notes`) and the
//! waves of their trains, built so that every wave reaches someone and everyone is reached.

use super::{Channel, Gen, PartnerInfo};
use crate::property::spec::{lit, Decl};
use crate::property::values as v;

impl Gen {
    pub(super) fn releases_and_channels(&mut self) -> Vec<Channel> {
        let names = ["stable", "beta", "edge", "rc_1", "nightly-x"];
        let count = 1 + self.rng.below(3);
        let mut channels: Vec<Channel> = Vec::new();
        for (c, name) in names.iter().take(count).enumerate() {
            let name = name.to_string();
            let mut versions = Vec::new();
            // One shape per channel, so that versions rise with `r` and the last is the newest.
            let shape = self.rng.below(6);
            for r in 0..1 + self.rng.below(3) {
                let version = match shape {
                    0 => format!("{}.{r}.0-rc.{c}", 2 + c),
                    1 => format!("v{}{r}", c + 1),
                    2 => format!("{}.{r}.0_build.{c}", 10 + c),
                    3 => format!("{c}{r}{}", "9".repeat(60)),
                    _ => format!("{}.{r}.{c}", 1 + c),
                };
                let mut d = Decl::new(format!("release {}", lit(&version)));
                d.set("image", lit(v::image(&mut self.rng)));
                d.set("channel", name.clone());
                if self.rng.chance(30) {
                    let n = self.rng.below(4);
                    let args: Vec<String> = (0..n).map(|_| v::tricky(&mut self.rng)).collect();
                    d.set("args", format!("[{}]", args.join(", ")));
                }
                if self.rng.chance(30) {
                    d.set("notes", v::tricky(&mut self.rng));
                }
                d.one_line = self.rng.chance(30);
                self.decls.push(d);
                versions.push(version);
            }
            // Versions rise with `r`, so the last one is the newest.
            channels.push(Channel { name, newest: self.decls.len() - 1, versions });
        }
        channels
    }

    pub(super) fn waves(&mut self, partners: &[PartnerInfo], channels: &[Channel]) {
        for (ci, channel) in channels.iter().enumerate() {
            let mut left: Vec<&PartnerInfo> =
                partners.iter().filter(|p| p.in_train && p.channel.as_deref() == Some(&channel.name)).collect();
            if left.is_empty() || self.rng.chance(40) {
                continue;
            }
            let mut waves = Vec::new();
            while !left.is_empty() {
                let name = format!("wave{ci}_{}", waves.len());
                let mut d = Decl::new(format!("wave {name}"));
                let take = 1 + self.rng.below(left.len());
                let rest = take == left.len() && self.rng.chance(50);
                let group: Vec<&PartnerInfo> = left.drain(..take).collect();
                if !rest {
                    let by_label = group.len() == 1 && !group[0].labels.is_empty() && self.rng.chance(30);
                    if by_label {
                        let (k, val) = group[0].labels[0].clone();
                        // Only if no partner still waiting carries the same label.
                        if left.iter().all(|p| !p.labels.contains(&(k.clone(), val.clone()))) {
                            d.map("labels", vec![(k, lit(val))]);
                        } else {
                            d.set("partners", format!("[{}]", lit(&group[0].name)));
                        }
                    } else {
                        let names: Vec<String> = group.iter().map(|p| lit(&p.name)).collect();
                        d.set("partners", format!("[{}]", names.join(", ")));
                    }
                }
                if self.rng.chance(40) {
                    d.set("soak", v::duration(&mut self.rng));
                }
                d.one_line = self.rng.chance(50);
                self.decls.push(d);
                waves.push(name);
            }
            let release = &mut self.decls[channel.newest];
            release.set("waves", format!("[{}]", waves.join(", ")));
            let _ = &channel.versions;
        }
    }
}
