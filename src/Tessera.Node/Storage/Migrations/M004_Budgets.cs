using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Tessera.Node.Storage.Migrations;

/// <summary>Privacy budgets and differentially private releases. Hand-written and provider-neutral, like <see cref="M001_Accounts"/>.</summary>
[DbContext(typeof(NodeDbContext))]
[Migration("20261121000004_Budgets")]
internal sealed class M004_Budgets : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var sqlite = ActiveProvider?.Contains("Sqlite", StringComparison.Ordinal) == true;
        migrationBuilder.CreateTable(
            name: "budgets",
            columns: table => new
            {
                UserId = table.Column<string>(maxLength: 32, nullable: false),
                DatasetId = table.Column<string>(maxLength: 32, nullable: false),
                EpsilonTotal = table.Column<long>(nullable: false),
                EpsilonSpent = table.Column<long>(nullable: false),
                DeltaTotal = table.Column<long>(nullable: false),
                DeltaSpent = table.Column<long>(nullable: false),
                Releases = table.Column<int>(nullable: false),
                UpdatedAt = sqlite ? table.Column<long>(nullable: false) : table.Column<DateTimeOffset>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_budgets", x => new { x.UserId, x.DatasetId }));
        migrationBuilder.CreateIndex(name: "IX_budgets_DatasetId", table: "budgets", column: "DatasetId");

        migrationBuilder.CreateTable(
            name: "releases",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 32, nullable: false),
                UserId = table.Column<string>(maxLength: 32, nullable: false),
                DatasetId = table.Column<string>(maxLength: 32, nullable: false),
                Column = table.Column<string>(maxLength: 128, nullable: false),
                Aggregate = table.Column<string>(maxLength: 16, nullable: false),
                Epsilon = table.Column<long>(nullable: false),
                Delta = table.Column<long>(nullable: false),
                Value = table.Column<double>(nullable: false),
                CreatedAt = sqlite ? table.Column<long>(nullable: false) : table.Column<DateTimeOffset>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_releases", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_releases_UserId_DatasetId", table: "releases", columns: ["UserId", "DatasetId"]);

        // Budget requests travel through the same queue as object requests.
        migrationBuilder.AddColumn<string>(name: "Kind", table: "access_requests", maxLength: 16, nullable: false, defaultValue: "Object");
        migrationBuilder.AddColumn<long>(name: "Epsilon", table: "access_requests", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "Epsilon", table: "access_requests");
        migrationBuilder.DropColumn(name: "Kind", table: "access_requests");
        migrationBuilder.DropTable(name: "releases");
        migrationBuilder.DropTable(name: "budgets");
    }
}
