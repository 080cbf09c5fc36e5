"""What brands write in their posts, in French and English, per content pillar.

Captions are assembled from an opening, a body and a call to action chosen per content pillar
(seed 001: product information, promotions, useful, entertaining and lifestyle content), plus
hashtags and sometimes a link. ``{brand}``, ``{product}`` (bare name, after "notre" / "our")
and ``{the_product}`` (with its article) are filled per brand.
"""

from __future__ import annotations

OPENINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "product": (
            "Nouveauté chez {brand} ✨",
            "Zoom sur notre {product}.",
            "On vous présente notre {product} !",
            "Vous nous l'avez demandé…",
            "Fabriqué avec soin, pensé pour durer.",
        ),
        "promotion": (
            "⏰ Dernières heures !",
            "C'est le moment de se faire plaisir.",
            "Offre spéciale 🎁",
            "Les prix baissent chez {brand} !",
            "Vente privée pour notre communauté.",
        ),
        "useful": (
            "3 conseils pour bien choisir votre {product}.",
            "Le saviez-vous ?",
            "Petit guide pratique 👇",
            "Question fréquente : comment entretenir votre {product} ?",
            "On répond à vos questions.",
        ),
        "entertainment": (
            "Avouez, vous aussi 😅",
            "Petit quiz du jour 🤔",
            "Les coulisses de {brand} 🎬",
            "Jeu-concours ! 🎉",
            "Qui se reconnaît ?",
        ),
        "lifestyle": (
            "Un dimanche comme on les aime ☀️",
            "L'équipe {brand} vous souhaite une belle semaine.",
            "Inspiration du moment 🌿",
            "Pause douceur.",
            "Ce qui nous rend heureux cette semaine.",
        ),
    },
    "en": {
        "product": (
            "New at {brand} ✨",
            "Meet our {product}.",
            "Say hello to our {product}!",
            "You asked, we listened…",
            "Made with care, built to last.",
        ),
        "promotion": (
            "⏰ Last hours!",
            "Time to treat yourself.",
            "Special offer 🎁",
            "Prices are dropping at {brand}!",
            "Private sale for our community.",
        ),
        "useful": (
            "3 tips to choose the right {product}.",
            "Did you know?",
            "A quick how-to 👇",
            "FAQ: how do you look after your {product}?",
            "We answer your questions.",
        ),
        "entertainment": (
            "Be honest, you too 😅",
            "Quiz of the day 🤔",
            "Behind the scenes at {brand} 🎬",
            "Giveaway time! 🎉",
            "Who can relate?",
        ),
        "lifestyle": (
            "A Sunday just the way we like it ☀️",
            "The {brand} team wishes you a great week.",
            "Current inspiration 🌿",
            "Time to slow down.",
            "What made us happy this week.",
        ),
    },
}

BODIES: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "product": (
            "Chaque détail de notre {product} est pensé dans notre atelier et testé par l'équipe.",
            "Matières choisies, finitions soignées : {the_product} a tout pour plaire.",
            "Découvrez les détails qui font la différence sur notre {product}.",
            "Bonne nouvelle : {the_product} revient en stock, en trois nouvelles teintes.",
        ),
        "promotion": (
            "-20 % sur {the_product} jusqu'à dimanche minuit, avec le code MERCI20.",
            "Livraison offerte dès 50 € d'achat sur tout le site {brand}.",
            "Offre duo sur {the_product} : le deuxième à moitié prix.",
            "Nos soldes continuent : jusqu'à -40 % sur une sélection.",
        ),
        "useful": (
            "Rangez votre {product} à l'abri de la lumière : vous en profiterez des années.",
            "Un geste simple chaque semaine suffit à garder votre {product} en parfait état.",
            "Nous avons comparé trois méthodes : voici celle qui fonctionne vraiment.",
            "Retrouvez notre guide complet, avec des photos étape par étape.",
        ),
        "entertainment": (
            "Dites-nous en commentaire quelle couleur de {the_product} vous correspond.",
            "À gagner : {the_product} ! Abonnez-vous et identifiez deux amis.",
            "Une journée ordinaire à l'atelier, en accéléré.",
            "Nous avons demandé à l'équipe de deviner le prix de notre {product}.",
        ),
        "lifestyle": (
            "Un café, une lumière douce et votre {product} : la recette du bonheur.",
            "Ralentir, profiter, partager : c'est l'esprit {brand}.",
            "Nos clients nous envoient leurs photos et on adore ça.",
            "La nouvelle saison s'annonce belle, on vous emmène avec nous.",
        ),
    },
    "en": {
        "product": (
            "Our {product} is designed in our workshop and tested for months by the team.",
            "Carefully chosen materials and neat finishes: {the_product} has it all.",
            "Discover the details that make our {product} different.",
            "Good news: {the_product} is back in stock, in three new colours.",
        ),
        "promotion": (
            "20% off {the_product} until Sunday midnight with code THANKS20.",
            "Free shipping on orders over 50 across the {brand} store.",
            "Buy one {product}, get the second one half price.",
            "Our sale goes on: up to 40% off a selection.",
        ),
        "useful": (
            "Keep your {product} away from direct light and it will last for years.",
            "One simple step a week keeps your {product} looking new.",
            "We compared three methods: here is the one that really works.",
            "Read our complete guide, with step-by-step photos.",
        ),
        "entertainment": (
            "Tell us in the comments which colour of {the_product} suits you best.",
            "Up for grabs: {the_product}! Follow us and tag two friends.",
            "An ordinary day at the workshop, sped up.",
            "We asked the team to guess the price of our {product}.",
        ),
        "lifestyle": (
            "A coffee, soft light and your favourite {product}: the recipe for happiness.",
            "Slow down, enjoy, share: that is the {brand} spirit.",
            "Our customers send us their photos and we love it.",
            "The new season looks beautiful, come along with us.",
        ),
    },
}

CALLS: dict[str, tuple[str, ...]] = {
    "fr": (
        "Lien en bio 👆",
        "Dites-nous ce que vous en pensez en commentaire !",
        "Enregistrez ce post pour plus tard.",
        "Partagez-le à quelqu'un qui en a besoin.",
        "Disponible dès maintenant sur notre site.",
        "À vos commentaires !",
    ),
    "en": (
        "Link in bio 👆",
        "Tell us what you think in the comments!",
        "Save this post for later.",
        "Share it with someone who needs it.",
        "Available now on our website.",
        "Over to you!",
    ),
}

TOPIC_HASHTAGS: dict[str, dict[str, str]] = {
    "fr": {
        "product": "#nouveauté",
        "promotion": "#bonplan",
        "useful": "#astuce",
        "entertainment": "#concours",
        "lifestyle": "#inspiration",
    },
    "en": {
        "product": "#newin",
        "promotion": "#sale",
        "useful": "#tips",
        "entertainment": "#giveaway",
        "lifestyle": "#inspiration",
    },
}
