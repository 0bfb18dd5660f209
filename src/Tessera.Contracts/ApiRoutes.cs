namespace Tessera.Contracts;

/// <summary>The node's HTTP routes, shared by the node and the client so they cannot drift apart.</summary>
public static class ApiRoutes
{
    /// <summary>The prefix of every versioned route.</summary>
    public const string Prefix = "/api/v1";

    /// <summary>Liveness and identity of the node.</summary>
    public const string Health = "/health";

    /// <summary>POST: exchange an email and password for a bearer token.</summary>
    public const string Login = Prefix + "/auth/login";

    /// <summary>POST: revoke the caller's token.</summary>
    public const string Logout = Prefix + "/auth/logout";

    /// <summary>GET: the caller's account.</summary>
    public const string Me = Prefix + "/users/me";

    /// <summary>GET: every account (owner and admins).</summary>
    public const string Users = Prefix + "/users";

    /// <summary>POST: register an account, with an invitation code or for the owner's approval.</summary>
    public const string Register = Prefix + "/users/register";

    /// <summary>POST: invite a user (owner and admins).</summary>
    public const string Invitations = Prefix + "/users/invitations";

    /// <summary>POST: approve a pending registration (owner and admins); {id} is the user id.</summary>
    public const string Approve = Prefix + "/users/{id}/approve";

    /// <summary>GET: the audit log (owner).</summary>
    public const string Audit = Prefix + "/audit";

    /// <summary>GET: ready datasets (optionally <c>?tag=</c>); POST: create a dataset's metadata (owner and admins).</summary>
    public const string Datasets = Prefix + "/datasets";

    /// <summary>GET: one dataset's metadata; DELETE: remove it (owner and admins); {id} is the dataset id.</summary>
    public const string Dataset = Prefix + "/datasets/{id}";

    /// <summary>PUT: the dataset's content as the raw request body, with a <c>Request-Id</c> header (owner and admins).</summary>
    public const string DatasetContent = Prefix + "/datasets/{id}/content";

    /// <summary>GET: download the mock twin (any user); PUT: upload a provided mock twin with a <c>Request-Id</c> header.</summary>
    public const string DatasetMock = Prefix + "/datasets/{id}/mock";

    /// <summary>The header that makes an upload idempotent: the same value twice applies once.</summary>
    public const string RequestIdHeader = "Request-Id";

    /// <summary>POST: run a plan; the outputs become new private objects.</summary>
    public const string Plans = Prefix + "/plans";

    /// <summary>GET: a private object's description; {id} is the object id.</summary>
    public const string Object = Prefix + "/objects/{id}";

    /// <summary>GET: a private object's values, for callers allowed to read them (403 with how to ask otherwise).</summary>
    public const string ObjectValue = Prefix + "/objects/{id}/value";

    /// <summary>POST: ask for an object's values; GET: list requests (owners and admins all, others their own).</summary>
    public const string Requests = Prefix + "/requests";

    /// <summary>GET: privacy budgets and their spend (owner and admins all, others their own); PUT: set one (owner and admins).</summary>
    public const string Budgets = Prefix + "/budgets";

    /// <summary>POST: a differentially private aggregate charged to the caller's budget.</summary>
    public const string Releases = Prefix + "/releases";

    /// <summary>GET: one request (its requester, the owner and admins; anyone else gets 404).</summary>
    public const string Request = Prefix + "/requests/{id}";

    /// <summary>POST: approve a pending request (owner and admins).</summary>
    public const string RequestApprove = Prefix + "/requests/{id}/approve";

    /// <summary>POST: deny a pending request (owner and admins).</summary>
    public const string RequestDeny = Prefix + "/requests/{id}/deny";
}
