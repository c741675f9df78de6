using StatefunOperator.Crds.Common;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Desired;

public class DesiredDeploymentBuilderTests
{
    private static readonly OperatorOptions Options = new() { RuntimeImage = "registry.example/statefun-runtime:1.0" };

    [Fact]
    public void Deployment_RunsTheRuntime_WithModuleMounted_ProbesAndPodName()
    {
        var ingress = TestResources.Ingress("shop", "users");
        ingress.Spec.Replicas = 3;
        ingress.Spec.Resources = new WorkloadResources { Requests = new() { ["cpu"] = "250m" }, Limits = new() { ["memory"] = "512Mi" } };
        var module = ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], []));

        var deployment = DesiredDeploymentBuilder.Build(ingress, module, Options);

        Assert.Equal("users-runtime", deployment.Metadata.Name);
        Assert.Equal("shop", deployment.Metadata.NamespaceProperty);
        Assert.Equal(3, deployment.Spec.Replicas);
        var owner = Assert.Single(deployment.Metadata.OwnerReferences);
        Assert.Equal(("KafkaIngress", "users", "ingress-uid", true), (owner.Kind, owner.Name, owner.Uid, owner.Controller ?? false));
        Assert.Equal(module.Hash, deployment.Spec.Template.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation]);
        Assert.All(deployment.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, deployment.Spec.Template.Metadata.Labels[label.Key]));

        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("registry.example/statefun-runtime:1.0", container.Image);
        Assert.Equal(["--module", "/etc/statefun/module.yaml", "--role", "ingress"], container.Args);

        // Dynamic group membership for ingress pods (their names change on every rollout): no stable instance id.
        Assert.DoesNotContain(container.Env, e => e.Name == RuntimePodTemplate.InstanceIdVariable);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "POD_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("/etc/statefun", container.VolumeMounts.Single(m => m.Name == "module").MountPath);
        Assert.Equal("users-module", deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == "module").ConfigMap.Name);
        Assert.Equal("250m", container.Resources.Requests["cpu"].ToString());
    }

    [Fact]
    public void SpecImage_OverridesTheOperatorDefault()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.Image = "mine:2";
        var module = ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], []));
        Assert.Equal("mine:2", DesiredDeploymentBuilder.Build(ingress, module, Options).Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public void TlsCa_IsMountedFromItsSecret()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.Security = new KafkaSecurity { Tls = new TlsSettings { CaSecret = new SecretKeySelector { Name = "kafka-ca", Key = "root.pem" } } };
        var module = ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], []));
        var pod = DesiredDeploymentBuilder.Build(ingress, module, Options).Spec.Template.Spec;
        var volume = pod.Volumes.Single(v => v.Name == "ingress-tls-ca");
        Assert.Equal("kafka-ca", volume.Secret.SecretName);
        Assert.Equal(("root.pem", "ca.crt"), (volume.Secret.Items[0].Key, volume.Secret.Items[0].Path));
        Assert.Equal("/etc/statefun/tls/ingress", pod.Containers[0].VolumeMounts.Single(m => m.Name == "ingress-tls-ca").MountPath);
    }

    [Fact]
    public void TlsClientCertificate_IsMountedReadOnly_NextToTheCa_AndNamedInTheModule()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.Security = new KafkaSecurity
        {
            Tls = new TlsSettings
            {
                CaSecret = new SecretKeySelector { Name = "kafka-ca", Key = "ca.crt" },
                CertificateSecret = new SecretKeySelector { Name = "users-kafka-user", Key = "user.crt" },
                KeySecret = new SecretKeySelector { Name = "users-kafka-user", Key = "user.key" },
            },
        };
        var module = ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], []));
        var pod = DesiredDeploymentBuilder.Build(ingress, module, Options).Spec.Template.Spec;

        Assert.Equal("users-kafka-user", pod.Volumes.Single(v => v.Name == "ingress-tls-client").Projected.Sources.Single().Secret.Name);
        var mount = pod.Containers[0].VolumeMounts.Single(m => m.Name == "ingress-tls-client");
        Assert.Equal(("/etc/statefun/tls/ingress-client", true), (mount.MountPath, mount.ReadOnlyProperty ?? false));
        Assert.Contains("- ssl.certificate.location: /etc/statefun/tls/ingress-client/user.crt", module.Yaml, StringComparison.Ordinal);
        Assert.Contains("- ssl.key.location: /etc/statefun/tls/ingress-client/user.key", module.Yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN", module.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigMap_HoldsModuleYaml_AndIsOwnedByTheIngress()
    {
        var ingress = TestResources.Ingress();
        var module = ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], []));
        var configMap = DesiredConfigMapBuilder.Build(ingress, module);
        Assert.Equal(module.Yaml, configMap.Data["module.yaml"]);
        Assert.Equal("users-module", configMap.Metadata.Name);
        Assert.Equal("ingress-uid", Assert.Single(configMap.Metadata.OwnerReferences).Uid);
    }
}
