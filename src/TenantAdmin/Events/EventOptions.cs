namespace RfpioGateway.TenantAdmin.Events;

/// <summary>Configuration section <c>Events</c>.</summary>
internal sealed class EventOptions
{
    /// <summary>
    /// EC P-256 private keys (PEM) that sign SETs: the first signs, all are published in the JWKS, so a key can be
    /// rotated in (second, then first) and out without a receiver losing the ability to verify. Every silo of a
    /// cluster needs the same list; a single node without it makes one and keeps it beside its database.
    /// </summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>The longest a poll without <c>returnImmediately</c> waits for an event (RFC 8936 §2.4).</summary>
    public int LongPollSeconds { get; set; } = 20;

    /// <summary>The most SETs one poll returns, whatever <c>maxEvents</c> asks.</summary>
    public int MaxEventsPerPoll { get; set; } = 500;

    /// <summary>Networks (CIDR) a push stream may reach although they are internal (a receiver inside the cluster).</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>Development only: push over plain http to loopback.</summary>
    public bool AllowLoopbackHttp { get; set; }

    /// <summary>How long one push may take before it counts as failed and is retried.</summary>
    public int PushTimeoutSeconds { get; set; } = 10;
}
