//! The closed word sets of the language (`provider = gke`, `backend = argo`, `plan = medium`,
//! `postgres { … }`), each defined once as an enum with its words. The checker's schema lists
//! the words from here; after the checker, the program matches on the enums, never on text.
//! An exhaustive `match` over [`Provider`] or [`Engine`] is the checklist for adding a cloud
//! or an engine.

/// A closed set of words: the enum of a field the checker accepts as one of `WORDS`.
pub trait Word: Sized + Copy + 'static {
    /// Every word of the set, in the order of [`Word::ALL`].
    const WORDS: &'static [&'static str];
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;
    /// The variant a word names; `None` for a word outside the set (the checker reported it).
    fn parse(word: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == word)
    }
}

macro_rules! words {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// The words of this set, as the schema lists them.
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            /// The word as written in the language (and in messages).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }
        }

        impl Word for $name {
            const WORDS: &'static [&'static str] = $name::WORDS;
            const ALL: &'static [$name] = &[$($name::$variant),+];
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

words! {
    /// The GitOps engine a `gitops` tree is written for (`bdc emit --out DIR` on a platform
    /// with `gitops { engine = … }`).
    Reconciler {
        /// Argo CD: one `ApplicationSet` for the fleet, progressive sync by wave.
        ArgoCd = "argocd",
        /// Flux: one `Kustomization` per partner, waves as `dependsOn`.
        Flux = "flux",
    }
}

words! {
    /// Which cloud a target is, or plain Kubernetes.
    Provider {
        K8s = "k8s",
        Gke = "gke",
        Eks = "eks",
        Aks = "aks",
    }
}

words! {
    /// Who carries out blue/green and canary moves.
    Backend {
        /// Plain Kubernetes objects, moved by `bdc rollout`.
        Native = "native",
        /// Argo Rollouts.
        Argo = "argo",
    }
}

words! {
    /// How a backing service is provisioned.
    ServiceMode {
        /// A StatefulSet in the partner's namespace.
        InCluster = "in_cluster",
        /// The cloud's database through its Kubernetes operator.
        Managed = "managed",
        /// An existing endpoint.
        External = "external",
    }
}

words! {
    /// How traffic reaches a partner's pods.
    Routing {
        /// Gateway API `HTTPRoute`s.
        Gateway = "gateway",
        /// Classic `Ingress`.
        Ingress = "ingress",
    }
}

words! {
    /// Who issues a partner's TLS certificates.
    Certificates {
        CertManager = "cert_manager",
        GkeManaged = "gke_managed",
        /// The cloud's certificate store (ACM, Key Vault).
        Cloud = "cloud",
        /// TLS ends before the cluster.
        None = "none",
    }
}

words! {
    /// Where a target's secret values live: a cloud's secret manager read through the External
    /// Secrets Operator, or Kubernetes Secrets created outside bdc.
    SecretStoreKind {
        /// Kubernetes Secrets created by hand (nothing is emitted for them).
        Kubernetes = "kubernetes",
        /// Google Cloud Secret Manager.
        GcpSecretManager = "gcp_secret_manager",
        /// AWS Secrets Manager.
        AwsSecretsManager = "aws_secrets_manager",
        /// Azure Key Vault.
        AzureKeyVault = "azure_key_vault",
    }
}

impl SecretStoreKind {
    /// Every kind, in the order of its words.
    pub const ALL_WORDS: &'static [SecretStoreKind] = <SecretStoreKind as Word>::ALL;

    /// The cloud whose workload identity reads this store (`None`: no cloud, plain Secrets).
    pub fn provider(self) -> Option<Provider> {
        match self {
            SecretStoreKind::Kubernetes => None,
            SecretStoreKind::GcpSecretManager => Some(Provider::Gke),
            SecretStoreKind::AwsSecretsManager => Some(Provider::Eks),
            SecretStoreKind::AzureKeyVault => Some(Provider::Aks),
        }
    }
}

words! {
    /// The engine of a backing service (the tag of `postgres { … }`).
    Engine {
        Postgres = "postgres",
        Redis = "redis",
    }
}

words! {
    /// The compute class of a database, mapped to each cloud's instance sizes.
    ServicePlan {
        Small = "small",
        Medium = "medium",
        Large = "large",
    }
}

words! {
    /// The kind of a rollout strategy (the tag of `canary { … }`).
    StrategyTag {
        Rolling = "rolling",
        BlueGreen = "blue_green",
        Canary = "canary",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<W: Word + PartialEq + std::fmt::Debug>() {
        assert_eq!(W::WORDS.len(), W::ALL.len());
        for (w, word) in W::ALL.iter().zip(W::WORDS) {
            assert_eq!(w.as_str(), *word);
            assert_eq!(W::parse(word), Some(*w));
        }
        assert_eq!(W::parse("nonesuch"), None);
    }

    #[test]
    fn every_word_names_its_variant() {
        round_trip::<Provider>();
        round_trip::<Backend>();
        round_trip::<Reconciler>();
        round_trip::<ServiceMode>();
        round_trip::<Routing>();
        round_trip::<Certificates>();
        round_trip::<Engine>();
        round_trip::<ServicePlan>();
        round_trip::<StrategyTag>();
        round_trip::<SecretStoreKind>();
    }
}
