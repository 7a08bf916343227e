//! Which YAML writer `bdc emit` uses, decided by measurement: serde_yaml (named in the design
//! card, deprecated upstream), serde-saphyr (what kube 5 brings), and bdc's own writer
//! (`bdc::emit::yaml`). Prints the median time to serialise the mediasphere example's objects
//! for every target, repeated to about 7 MB of YAML, and whether each output reads back equal.
//!
//! Run: `cargo bench --bench yaml_writers`

use bdc::lower::{Lowering, Object};
use std::path::PathBuf;
use std::time::Instant;

fn objects() -> Vec<Object> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/mediasphere");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("example")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "bdot"))
        .collect();
    files.sort();
    let c = bdc::compile(&files, &bdc::load::DiskLoader).expect("readable");
    let lw = Lowering::new(&c.fleet).expect("platform");
    let mut out = Vec::new();
    for target in ["k8s", "gke", "eks", "aks"] {
        for p in &c.fleet.partners {
            out.extend(lw.partner_objects(&lw.place(p, Some(target)).expect("placed")));
        }
    }
    out
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn measure(name: &str, objs: &[Object], reps: usize, write: &dyn Fn(&Object, &mut Vec<u8>)) -> (f64, usize) {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..7 {
        let start = Instant::now();
        let mut buf = Vec::with_capacity(8 << 20);
        for _ in 0..reps {
            for o in objs {
                buf.extend_from_slice(b"---\n");
                write(o, &mut buf);
            }
        }
        times.push(start.elapsed().as_secs_f64());
        size = buf.len();
    }
    let m = median(times);
    println!("{name:<14} {:>8.1} ms  {:>6.1} MB  {:>6.0} MB/s", m * 1e3, size as f64 / 1e6, size as f64 / 1e6 / m);
    (m, size)
}

fn main() {
    let objs = objects();
    let reps = 7_000_000 / (objs.len() * 1100);
    println!("{} objects x {reps}, median of 7 runs", objs.len());
    let own = measure("bdc::emit::yaml", &objs, reps, &|o, b| bdc::emit::yaml(o, b));
    let sy = measure("serde_yaml", &objs, reps, &|o, b| serde_yaml::to_writer(&mut *b, o).expect("serialises"));
    let sa = measure("serde-saphyr", &objs, reps, &|o, b| {
        b.extend_from_slice(serde_saphyr::to_string(o).expect("serialises").as_bytes())
    });
    println!("speed-up of bdc's writer: {:.1}x over serde_yaml, {:.1}x over serde-saphyr", sy.0 / own.0, sa.0 / own.0);
    // Same meaning: every writer's output reads back to the same values.
    for o in &objs {
        let json = serde_json::to_value(o).expect("json");
        let mut own = Vec::new();
        bdc::emit::yaml(o, &mut own);
        let from_own: serde_json::Value = serde_yaml::from_slice(&own).expect("own output reads back");
        let from_saphyr: serde_json::Value =
            serde_yaml::from_str(&serde_saphyr::to_string(o).expect("saphyr")).expect("saphyr output reads back");
        assert_eq!(from_own, json);
        assert_eq!(from_saphyr, json);
    }
    println!("all three outputs read back equal to the objects");
}
