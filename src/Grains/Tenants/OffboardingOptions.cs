namespace RfpioGateway.Grains;

/// <summary>How offboarding a tenant deletes its users (configuration section <c>Offboarding</c>).</summary>
public sealed class OffboardingOptions
{
    /// <summary>Users deleted within the operator's DELETE before it answers 202 and leaves the rest to the background.</summary>
    public int InlineBudget { get; set; } = 1000;

    /// <summary>Users deleted per background tick.</summary>
    public int BackgroundBatch { get; set; } = 500;

    /// <summary>Time between background ticks, so an offboarding never crowds out the silo's live traffic.</summary>
    public TimeSpan BackgroundInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the tenant registry wakes every unfinished offboarding. A restart or a lost silo stops a background
    /// purge; this restarts it without anyone having to touch the tenant.
    /// </summary>
    public TimeSpan ResumeInterval { get; set; } = TimeSpan.FromSeconds(30);
}
