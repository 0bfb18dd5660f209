using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Tessera.Node.Storage.Migrations;

/// <summary>
/// Accounts, tokens, invitations and the audit log. Written by hand (the EF design-time package is not available here) and
/// provider-neutral: column types come from the provider's mapping of each CLR type, so SQLite and PostgreSQL share it.
/// </summary>
[DbContext(typeof(NodeDbContext))]
[Migration("20261121000001_Accounts")]
internal sealed class M001_Accounts : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var sqlite = ActiveProvider?.Contains("Sqlite", StringComparison.Ordinal) == true;
        migrationBuilder.CreateTable(
            name: "users",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 32, nullable: false),
                Email = table.Column<string>(maxLength: 320, nullable: false),
                PasswordHash = table.Column<string>(maxLength: 200, nullable: false),
                Role = table.Column<string>(maxLength: 20, nullable: false),
                Status = table.Column<string>(maxLength: 20, nullable: false),
                CreatedAt = sqlite ? table.Column<long>(nullable: false) : table.Column<DateTimeOffset>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_users", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_users_Email", table: "users", column: "Email", unique: true);

        migrationBuilder.CreateTable(
            name: "tokens",
            columns: table => new
            {
                Hash = table.Column<string>(maxLength: 64, nullable: false),
                UserId = table.Column<string>(maxLength: 32, nullable: false),
                ExpiresAt = sqlite ? table.Column<long>(nullable: false) : table.Column<DateTimeOffset>(nullable: false),
                Revoked = table.Column<bool>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_tokens", x => x.Hash));
        migrationBuilder.CreateIndex(name: "IX_tokens_UserId", table: "tokens", column: "UserId");

        migrationBuilder.CreateTable(
            name: "invitations",
            columns: table => new
            {
                Hash = table.Column<string>(maxLength: 64, nullable: false),
                Email = table.Column<string>(maxLength: 320, nullable: false),
                Role = table.Column<string>(maxLength: 20, nullable: false),
                ExpiresAt = sqlite ? table.Column<long>(nullable: false) : table.Column<DateTimeOffset>(nullable: false),
                Used = table.Column<bool>(nullable: false),
                CreatedBy = table.Column<string>(maxLength: 32, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_invitations", x => x.Hash));

        migrationBuilder.CreateTable(
            name: "audit",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 32, nullable: false),
                At = sqlite ? table.Column<long>(nullable: false) : table.Column<DateTimeOffset>(nullable: false),
                ActorId = table.Column<string>(maxLength: 32, nullable: true),
                Action = table.Column<string>(maxLength: 64, nullable: false),
                Subject = table.Column<string>(maxLength: 200, nullable: true),
                Outcome = table.Column<string>(maxLength: 16, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_audit", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_audit_At", table: "audit", column: "At");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "audit");
        migrationBuilder.DropTable(name: "invitations");
        migrationBuilder.DropTable(name: "tokens");
        migrationBuilder.DropTable(name: "users");
    }
}
