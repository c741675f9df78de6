using k8s.Models;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// Renders Secret references into env vars, mounted files (CA; client certificate and key) and Kafka
/// properties. Secret-held values never appear in the module: SASL credentials are <c>${ENV}</c>
/// placeholders, TLS material is a read-only file. Pure.
/// </summary>
public static class KafkaSecurityRenderer
{
    public const string TlsRoot = WorkloadNames.ModuleDirectory + "/tls";
    public const string ClientCertificateFile = "user.crt";
    public const string ClientKeyFile = "user.key";

    /// <param name="security">The resource's security block (null: plaintext, no auth).</param>
    /// <param name="role">Unique per pod, e.g. <c>ingress</c> or <c>egress-0</c>; names env vars, volume and mount.</param>
    public static RenderedCredentials Render(KafkaSecurity? security, string role)
    {
        if (security?.Sasl is null && security?.Tls is null)
        {
            return RenderedCredentials.None;
        }

        var envPrefix = "STATEFUN_" + role.ToUpperInvariant().Replace('-', '_');
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["security.protocol"] = (security.Sasl, security.Tls) switch
            {
                (not null, not null) => "SASL_SSL",
                (not null, null) => "SASL_PLAINTEXT",
                _ => "SSL",
            },
        };
        var env = new List<V1EnvVar>();
        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();

        if (security.Sasl is { } sasl)
        {
            var usernameVariable = envPrefix + "_SASL_USERNAME";
            var passwordVariable = envPrefix + "_SASL_PASSWORD";
            properties["sasl.mechanism"] = sasl.Mechanism ?? "PLAIN";
            properties["sasl.username"] = "${" + usernameVariable + "}";
            properties["sasl.password"] = "${" + passwordVariable + "}";
            env.Add(SecretEnv(usernameVariable, sasl.UsernameSecret));
            env.Add(SecretEnv(passwordVariable, sasl.PasswordSecret));
        }

        if (security.Tls?.CaSecret is { } ca)
        {
            var volumeName = role + "-tls-ca";
            var directory = $"{TlsRoot}/{role}";
            volumes.Add(new V1Volume
            {
                Name = volumeName,
                Secret = new V1SecretVolumeSource
                {
                    SecretName = ca.Name,
                    Items = [new V1KeyToPath { Key = ca.Key, Path = "ca.crt" }],
                },
            });
            mounts.Add(new V1VolumeMount { Name = volumeName, MountPath = directory, ReadOnlyProperty = true });
            properties["ssl.ca.location"] = directory + "/ca.crt";
        }

        if (security.Tls is { CertificateSecret: { } certificate, KeySecret: { } key })
        {
            var volumeName = role + "-tls-client";
            var directory = $"{TlsRoot}/{role}-client";
            volumes.Add(new V1Volume
            {
                Name = volumeName,
                Projected = new V1ProjectedVolumeSource { Sources = ClientSources(certificate, key) },
            });
            mounts.Add(new V1VolumeMount { Name = volumeName, MountPath = directory, ReadOnlyProperty = true });
            properties["ssl.certificate.location"] = $"{directory}/{ClientCertificateFile}";
            properties["ssl.key.location"] = $"{directory}/{ClientKeyFile}";
        }

        return new RenderedCredentials(properties, env, volumes, mounts);
    }

    /// <summary>The certificate and key as one projected volume: one source when they share a Secret (as in a Strimzi KafkaUser Secret), else two.</summary>
    private static List<V1VolumeProjection> ClientSources(SecretKeySelector certificate, SecretKeySelector key)
    {
        var certificateItem = new V1KeyToPath { Key = certificate.Key, Path = ClientCertificateFile };
        var keyItem = new V1KeyToPath { Key = key.Key, Path = ClientKeyFile };
        return certificate.Name == key.Name
            ? [new V1VolumeProjection { Secret = new V1SecretProjection { Name = certificate.Name, Items = [certificateItem, keyItem] } }]
            :
            [
                new V1VolumeProjection { Secret = new V1SecretProjection { Name = certificate.Name, Items = [certificateItem] } },
                new V1VolumeProjection { Secret = new V1SecretProjection { Name = key.Name, Items = [keyItem] } },
            ];
    }

    private static V1EnvVar SecretEnv(string name, SecretKeySelector selector) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource
        {
            SecretKeyRef = new V1SecretKeySelector { Name = selector.Name, Key = selector.Key },
        },
    };
}
